// A period's observations as partial aggregates, per series and bucket: rollup rows for the whole
// days and hours of the plan, raw observations (grouped per series and timestamp) for the rest.
// Every part has the same columns — the series keys, `bucket` (the rollup's start, or the raw
// row's interval start) and the measures of lib/rollups/measures.ts — so callers merge them the
// same way whatever they came from.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { LEVEL_TABLE, MEASURE_COLUMNS, mergeSql, measures, SERIES_KEYS, withHours, type Measure } from "@/lib/rollups/measures";
import { DAY_MS, HOUR_MS, type RollupPlan, type TimeRange } from "./rollup-plan";
import { scopeSql, sourceBranchesSql, type Scope } from "./scope";

const KEYS = (alias: string) => Prisma.raw(SERIES_KEYS.map((k) => `${alias}.${k}`).join(", "));
const ROLLUP_COLUMNS = Prisma.raw([...SERIES_KEYS, "bucket", ...MEASURE_COLUMNS].map((c) => `r.${c}`).join(", "));
const RAW_AGGREGATES = Prisma.raw(measures("any").map((m) => `${m.raw} as ${m.column}`).join(", "));

/** Every bucket start of `size` in the ranges (which the plan aligned on that size). */
export function bucketStarts(ranges: TimeRange[], size: number): Date[] {
  const out: Date[] = [];
  for (const r of ranges) for (let t = r.from.getTime(); t < r.to.getTime(); t += size) out.push(new Date(t));
  return out;
}

/** `column` within any of the ranges (false for none). */
export function inRangesSql(column: string, ranges: TimeRange[]): Prisma.Sql {
  if (ranges.length === 0) return Prisma.sql`false`;
  const c = Prisma.raw(column);
  return Prisma.sql`(${Prisma.join(ranges.map((r) => Prisma.sql`(${c} >= ${r.from} and ${c} < ${r.to})`), " or ")})`;
}

/**
 * The union of the plan's parts, each row: series keys, bucket, measures. Raw rows are grouped per
 * series and `rawBucket` (an expression on `o`; the caller's own bucket, or a constant when it
 * needs none).
 */
export function periodPartsSql(scope: Scope, plan: RollupPlan, rawBucket: Prisma.Sql): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const rollup = (level: "day" | "hour", starts: Date[]) =>
    Prisma.sql`select ${ROLLUP_COLUMNS} from ${Prisma.raw(LEVEL_TABLE[level])} r where ${scopeSql(scope, "r")} and r.bucket = any(${starts}::timestamptz[])`;
  if (plan.day.length) parts.push(rollup("day", bucketStarts(plan.day, DAY_MS)));
  if (plan.hour.length) parts.push(rollup("hour", bucketStarts(plan.hour, HOUR_MS)));
  // One branch per source: each can then use the (dataset_version_id, interval_start) index per range.
  if (plan.raw.length) {
    for (const branch of sourceBranchesSql(scope)) {
      parts.push(Prisma.sql`
        select ${KEYS("o")}, ${rawBucket} as bucket, ${RAW_AGGREGATES}
          from ${Prisma.raw(withHours("true"))}
         where ${inRangesSql("o.interval_start", plan.raw)} and ${scopeSql(scope, "o", branch)}
         group by ${KEYS("o")}, 7`);
    }
  }
  if (parts.length === 0) parts.push(Prisma.sql`select ${ROLLUP_COLUMNS} from ${Prisma.raw(LEVEL_TABLE.hour)} r where false`);
  return Prisma.join(parts.map((p) => Prisma.sql`(${p})`), " union all ");
}

/** A measure merged over the parts `p`, numbers as float8 (so they arrive as JS numbers). */
export function merged(m: Measure): string {
  const sql = mergeSql(m, "p");
  return m.type === "text" ? sql : `${sql}::float8`;
}

export const MERGED_MEASURES = Prisma.raw(measures("any").map((m) => `${merged(m)} as ${m.column}`).join(", "));
