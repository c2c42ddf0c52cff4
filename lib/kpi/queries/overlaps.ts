// The overlaps' read (overlaps.ts): per source, the contested asset-hours it won and lost.
import "server-only";
import { db } from "@/lib/db";
import type { RollupPlan } from "../rollup-plan";
import type { Scope } from "../types";
import { resolutionSql } from "./rollup-parts";

export type OverlapRow = {
  tenant_id: string;
  dataset_version_id: string | null;
  dataset_id: string | null;
  dataset: string | null;
  version: number | null;
  won: number;
  lost: number;
};

/** The sources of the asset-hours more than one source holds in the plan's hours, by hours won, then lost. */
export function overlapRows(scope: Scope, plan: RollupPlan): Promise<OverlapRow[]> {
  const { ctes } = resolutionSql(scope, plan);
  return db().$queryRaw<OverlapRow[]>`
      ${ctes}
      select h.tenant_id, h.dataset_version_id::text as dataset_version_id, d.id::text as dataset_id, d.name as dataset, v.version,
             count(*) filter (where h.rank = h.top)::int as won, count(*) filter (where h.rank <> h.top)::int as lost
        from ranked h
        left join dataset_version v on v.id = h.dataset_version_id
        left join dataset d on d.id = v.dataset_id
       where h.sources > 1
       group by 1, 2, 3, 4, 5
       order by won desc, lost desc, 4, 5`;
}
