// The observations' reads (observations.ts): how many a scope holds in a period, a sorted page of
// them, and the export's rows as COPY writes them.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { OBSERVATION_COLUMNS, type ObservationColumn } from "../observation-columns";
import type { RollupPlan } from "../rollup-plan";
import type { Period, Scope } from "../types";
import { copyCsvRows, formulaSafeSql } from "./copy-csv";
import { periodPartsSql } from "./rollup-parts";
import { scopeSql, sourceBranchesPerVersion } from "./scope";

const SELECT = Prisma.raw(OBSERVATION_COLUMNS.map((c) => `${c.sql} as "${c.key}"`).join(", "));

export type ObservationRow = Record<string, string | number | Date | null>;

function where(scope: Scope, period: Period): Prisma.Sql {
  return Prisma.sql`o.interval_start >= ${period.from} and o.interval_start < ${period.to} and ${scopeSql(scope)}`;
}

/** How many observations the plan's parts hold (summed from the rollups, exact). */
export async function storedObservationCount(scope: Scope, plan: RollupPlan): Promise<number> {
  // Every stored row, overlapping sources included: the table pages through them all.
  const parts = periodPartsSql(scope, plan, Prisma.sql`null::timestamptz`, false);
  const [row] = await db().$queryRaw<{ n: number }[]>`select coalesce(sum(p.rows), 0)::float8 as n from (${parts}) p`;
  return row?.n ?? 0;
}

/** `limit` observations from `offset`, sorted by `column` (then by id, for a stable order). */
export function observationPage(
  scope: Scope,
  period: Period,
  opts: { column: ObservationColumn; desc: boolean; limit: number; offset: number },
): Promise<ObservationRow[]> {
  const { column } = opts;
  // Time columns sort by the timestamp itself (an index can serve it), not by its text.
  const sortSql = column.kind === "time" ? `o.${column.key}` : column.sql;
  const order = Prisma.raw(`${sortSql} ${opts.desc ? "desc" : "asc"} nulls last, o.id ${opts.desc ? "desc" : "asc"}`);
  return db().$queryRaw<ObservationRow[]>`
    select ${SELECT} from observation o where ${where(scope, period)}
     order by ${order}
     limit ${opts.limit} offset ${opts.offset}`;
}

function csvCell(c: ObservationColumn): string {
  if (c.kind === "time") return `(date_part('epoch', o.${c.key}) * 1000)::bigint`;
  return c.kind === "text" ? formulaSafeSql(c.sql) : c.sql;
}

/**
 * Every filtered observation in time order, each cell as the CSV shows it (formula-safe text).
 * Sources without rows in the period are left out, so the usual export (one dataset version) is
 * one ordered range of the (dataset_version_id, interval_start) index that streams without a sort.
 */
async function observationsCsvQuery(scope: Scope, period: Period): Promise<Prisma.Sql> {
  const cells = Prisma.raw(OBSERVATION_COLUMNS.map(csvCell).join(", "));
  const inPeriod = (branch: Prisma.Sql) =>
    Prisma.sql`o.interval_start >= ${period.from} and o.interval_start < ${period.to} and ${scopeSql(scope, "o", branch)}`;
  const candidates = await sourceBranchesPerVersion(scope);
  const present = candidates.length
    ? Object.values(
        (
          await db().$queryRaw<Record<string, boolean>[]>`select ${Prisma.join(
            candidates.map(
              (b, i) => Prisma.sql`exists(select 1 from observation o where ${inPeriod(b)}) as ${Prisma.raw(`b${i}`)}`,
            ),
            ", ",
          )}`
        )[0]!,
      )
    : [];
  const branches = candidates.filter((_, i) => present[i]);
  if (branches.length === 0) return Prisma.sql`select ${cells} from observation o where false`;
  if (branches.length === 1)
    return Prisma.sql`select ${cells} from observation o where ${inPeriod(branches[0]!)} order by o.interval_start, o.id`;
  const union = Prisma.join(
    branches.map((b) => Prisma.sql`select o.* from observation o where ${inPeriod(b)}`),
    " union all ",
  );
  return Prisma.sql`select ${cells} from (${union}) o order by o.interval_start, o.id`;
}

/**
 * Every filtered observation as COPY's CSV records (observationsCsvQuery), the leading time columns
 * (CSV_LEADING_TIMES) as epoch milliseconds; lib/export/copy-csv.ts writes them out.
 */
export async function observationsCsvRecords(scope: Scope, period: Period): Promise<AsyncIterable<Buffer>> {
  const query = await observationsCsvQuery(scope, period);
  return copyCsvRows({ text: query.text, values: query.values });
}
