// The report's sources (report-pdf.ts): how many of a period's counted rows each dataset version,
// and the live MASS readings, hold — through the rollups, never a count of the observations.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RollupPlan } from "../rollup-plan";
import type { Scope } from "../types";
import { periodPartsSql } from "./rollup-parts";

/** One source: a dataset version (its dataset, tenant, number and hash), or MASS (all null). */
export type SourceRow = {
  dataset: string | null;
  tenant: string | null;
  version: number | null;
  sha256: string | null;
  rows: number;
};

/** Per source, the rows of the plan's parts it holds (overlaps resolved), dataset versions by name first. */
export function sourceRows(scope: Scope, plan: RollupPlan): Promise<SourceRow[]> {
  const parts = periodPartsSql(scope, plan, Prisma.sql`null::timestamptz`);
  return db().$queryRaw<SourceRow[]>`
    select d.name as dataset, d.tenant_id as tenant, v.version, v.sha256, p.rows
      from (select p.dataset_version_id, sum(p.rows)::float8 as rows from (${parts}) p group by 1) p
      left join dataset_version v on v.id = p.dataset_version_id
      left join dataset d on d.id = v.dataset_id
     order by 1 nulls last, 3`;
}
