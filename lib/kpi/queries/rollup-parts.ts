// A period's observations as partial aggregates, per series and bucket: rollup rows for the whole
// days and hours of the plan, raw observations (grouped per series and timestamp) for the rest.
// Every part has the same columns — the series keys, `bucket` (the rollup's start, or the raw
// row's interval start) and the measures of lib/rollups/measures.ts — so callers merge them the
// same way whatever they came from.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  LEVEL_TABLE,
  levelBucket,
  MEASURE_COLUMNS,
  MEASURES,
  mergeSql,
  SERIES_KEYS,
  versionRankSql,
  withHours,
  type Measure,
} from "@/lib/rollups/measures";
import { DAY_MS, HOUR_MS, type RollupPlan, type TimeRange } from "../rollup-plan";
import type { Scope } from "../types";
import { scopeSql, sourceBranchesSql } from "./scope";

const KEYS = (alias: string) => Prisma.raw(SERIES_KEYS.map((k) => `${alias}.${k}`).join(", "));
const ROLLUP_COLUMNS = Prisma.raw([...SERIES_KEYS, "bucket", ...MEASURE_COLUMNS].map((c) => `r.${c}`).join(", "));
const RAW_AGGREGATES = Prisma.raw(MEASURES.map((m) => `${m.raw} as ${m.column}`).join(", "));

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
  return Prisma.sql`(${Prisma.join(
    ranges.map((r) => Prisma.sql`(${c} >= ${r.from} and ${c} < ${r.to})`),
    " or ",
  )})`;
}

export const ASSET_KEYS = SERIES_KEYS.filter((k) => k !== "dataset_version_id");
/** The same asset (tenant, site, facility, cluster, zone) on aliases a and b; ids may be null. */
export const sameAsset = (a: string, b: string) =>
  Prisma.raw(ASSET_KEYS.map((k) => `${a}.${k} is not distinct from ${b}.${k}`).join(" and "));
/**
 * A source's precedence on alias `x` (text, compared as text): a dataset version by when it was
 * loaded (the latest upload wins; its id breaks a tie), above live MASS readings ('0'). See
 * README "One value per series and interval".
 */
export const sourceRank = (x: string) =>
  Prisma.raw(`coalesce((select ${versionRank("v")} from dataset_version v where v.id = ${x}.dataset_version_id), '0')`);
/** The rank of dataset version `v` (a dataset_version row), for sourceRank and joins that have the row at hand. */
export const versionRank = versionRankSql;
export const hourOf = (instant: string) => Prisma.raw(levelBucket("hour", instant));
export const dayOf = (instant: string) => Prisma.raw(levelBucket("day", instant));

/**
 * The union of the plan's parts, each row: series keys, bucket, measures. Raw rows are grouped per
 * series and `rawBucket` (an expression on `o`; the caller's own bucket, or a constant when it
 * needs none).
 *
 * Overlaps are resolved (unless `resolveOverlaps` is false): within a tenant, an asset's hour
 * counts from one source only — the highest-ranked of those with data in it (sourceRank) — so one
 * site loaded twice, or a MASS reading over a loaded interval, is never summed twice. A day that
 * holds one source only is read whole from the day rollups; a contested day is read hour by hour,
 * each hour from its winner; the raw edge hours keep their winner's rows.
 */
export function periodPartsSql(
  scope: Scope,
  plan: RollupPlan,
  rawBucket: Prisma.Sql,
  resolveOverlaps = true,
): Prisma.Sql {
  if (!resolveOverlaps) return unresolvedPartsSql(scope, plan, rawBucket);
  const { ctes, hours } = resolutionSql(scope, plan);
  const rawParts = plan.raw.length
    ? sourceBranchesSql(scope).map(
        (branch) => Prisma.sql`
        select ${KEYS("o")}, ${rawBucket} as bucket, ${RAW_AGGREGATES}
          from ${Prisma.raw(withHours("true"))}
         where ${inRangesSql("o.interval_start", plan.raw)} and ${scopeSql(scope, "o", branch)}
           and exists (select 1 from winners w where ${sameAsset("w", "o")} and w.bucket = ${hourOf("o.interval_start")} and w.dataset_version_id is not distinct from o.dataset_version_id)
         group by ${KEYS("o")}, 7`,
      )
    : [];
  return Prisma.sql`
    ${ctes}
    (select d.* from day_rows d where not exists (select 1 from contested c where ${sameAsset("c", "d")} and c.bucket = d.bucket))
    union all
    (select ${Prisma.raw([...SERIES_KEYS, "bucket", ...MEASURE_COLUMNS].map((c) => `h.${c}`).join(", "))}
       from ranked h
      where h.rank = h.top
        and (h.bucket = any(${hours}::timestamptz[]) or exists (select 1 from contested c where ${sameAsset("c", "h")} and c.bucket = ${dayOf("h.bucket")})))
    ${
      rawParts.length
        ? Prisma.join(
            rawParts.map((p) => Prisma.sql` union all (${p})`),
            "",
          )
        : Prisma.empty
    }`;
}

/**
 * The `with` clause that resolves overlaps over a plan: `day_rows` (the plan's day rollups),
 * `contested` (asset-days with more than one source), `ranked` (the hour rollups of the plan's
 * hours, of the hours its raw edges touch and of every contested day, each with its source's
 * `rank`, the asset-hour's `top` rank and its number of `sources`) and `winners` (the source that
 * counts per asset-hour). A day that holds one source only is never read hour by hour.
 */
export function resolutionSql(scope: Scope, plan: RollupPlan): { ctes: Prisma.Sql; hours: Date[] } {
  const days = bucketStarts(plan.day, DAY_MS);
  const hours = bucketStarts(plan.hour, HOUR_MS);
  const rawHoursList = [
    ...new Set(
      plan.raw.flatMap((r) =>
        bucketStarts(
          [
            {
              from: new Date(Math.floor(r.from.getTime() / HOUR_MS) * HOUR_MS),
              to: new Date(Math.ceil(r.to.getTime() / HOUR_MS) * HOUR_MS),
            },
          ],
          HOUR_MS,
        ).map((d) => d.getTime()),
      ),
    ),
  ].map((t) => new Date(t));
  // The whole hours of the plan and the hours its raw edges touch: their winners decide both.
  const edgeHours = [...hours, ...rawHoursList.filter((h) => !hours.some((x) => x.getTime() === h.getTime()))];
  const asset = Prisma.raw(ASSET_KEYS.map((k) => `h.${k}`).join(", "));
  const ctes = Prisma.sql`
    with day_rows as materialized (
      select ${ROLLUP_COLUMNS} from ${Prisma.raw(LEVEL_TABLE.day)} r where ${scopeSql(scope, "r")} and r.bucket = any(${days}::timestamptz[])),
    contested as materialized (
      select ${Prisma.raw(ASSET_KEYS.join(", "))}, bucket from day_rows group by ${Prisma.raw(ASSET_KEYS.join(", "))}, bucket having count(*) > 1),
    hour_rows as materialized (
      select ${ROLLUP_COLUMNS}, ${sourceRank("r")} as rank
        from ${Prisma.raw(LEVEL_TABLE.hour)} r
       where ${scopeSql(scope, "r")} and r.bucket = any(${edgeHours}::timestamptz[])
      union all
      -- A contested day's hours: a lateral read per contested asset-day, so each is one (source,
      -- time) index range whatever the planner guesses of the contested count; "offset 0" keeps
      -- the planner from flattening it into a join that scans every hourly rollup of the scope
      -- (600 ms at 10 M observations with a cluster filter, for no contested day at all).
      select r.* from contested c
       cross join lateral (
         select ${ROLLUP_COLUMNS}, ${sourceRank("r")} as rank
           from ${Prisma.raw(LEVEL_TABLE.hour)} r
          where ${scopeSql(scope, "r")} and r.bucket >= c.bucket and r.bucket < c.bucket + interval '1 day' and ${sameAsset("c", "r")}
            and not (r.bucket = any(${edgeHours}::timestamptz[]))
         offset 0) r),
    ranked as materialized (
      select h.*, max(h.rank) over (partition by ${asset}, h.bucket) as top, count(*) over (partition by ${asset}, h.bucket) as sources from hour_rows h),
    winners as materialized (
      select ${Prisma.raw(SERIES_KEYS.join(", "))}, bucket from ranked where rank = top)`;
  return { ctes, hours };
}

/** Every source's rows as stored, overlaps included (the observation table's count). */
function unresolvedPartsSql(scope: Scope, plan: RollupPlan, rawBucket: Prisma.Sql): Prisma.Sql {
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
  if (parts.length === 0)
    parts.push(Prisma.sql`select ${ROLLUP_COLUMNS} from ${Prisma.raw(LEVEL_TABLE.hour)} r where false`);
  return Prisma.join(
    parts.map((p) => Prisma.sql`(${p})`),
    " union all ",
  );
}

/** A measure merged over the parts `p`, numbers as float8 (so they arrive as JS numbers). */
export function merged(m: Measure): string {
  const sql = mergeSql(m, "p");
  return m.type === "text" ? sql : `${sql}::float8`;
}

export const MERGED_MEASURES = Prisma.raw(MEASURES.map((m) => `${merged(m)} as ${m.column}`).join(", "));
