// The worst zone's p95 rack inlet over a period: per zone (site / zone, or cluster without one) the
// 95th percentile, interpolated as percentile_cont does, of every p95 reading in the period, and
// the zone where it is highest. A percentile cannot be added up from per-day partial results, so
// the day rollups keep each day's readings sorted with their count per 0.25 °C bin: the bin
// counts of the whole days (plus the raw readings of the partial ones) locate the one or two bins
// holding the percentile's neighbouring ranks, and only those bins' readings are read and ranked.
// The result is the exact percentile_cont of the raw readings, at a small fraction of the cost of
// sorting them all.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { LEVEL_TABLE, p95Bin, SERIES_KEYS } from "@/lib/rollups/measures";
import { DAY_MS, HOUR_MS, type RollupPlan, type TimeRange } from "../rollup-plan";
import type { Scope } from "../types";
import { ASSET_KEYS, bucketStarts, hourOf, inRangesSql, sameAsset, sourceRank } from "./rollup-parts";
import { scopeSql } from "./scope";

const ZONE = (alias: string) =>
  Prisma.raw(`concat_ws(' / ', ${alias}.site_id, coalesce(${alias}.zone_id, ${alias}.cluster_id))`);
const BIN = Prisma.raw(p95Bin("raw.v"));

/** Merges touching ranges of a sorted list. */
function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const last = out[out.length - 1];
    if (last && last.to.getTime() === r.from.getTime()) last.to = r.to;
    else out.push({ ...r });
  }
  return out;
}

/** Every UTC hour that [from, to) ranges touch. */
function touchedHours(ranges: TimeRange[]): Date[] {
  const out = new Set<number>();
  for (const r of ranges)
    for (let t = Math.floor(r.from.getTime() / HOUR_MS) * HOUR_MS; t < r.to.getTime(); t += HOUR_MS) out.add(t);
  return [...out].map((t) => new Date(t));
}

export async function worstZoneP95(scope: Scope, plan: RollupPlan): Promise<{ zone: string; p95: number } | null> {
  const days = bucketStarts(plan.day, DAY_MS);
  const rawRanges = mergeRanges([...plan.hour, ...plan.raw]);
  const assetCols = Prisma.raw(ASSET_KEYS.join(", "));
  const touched = touchedHours(rawRanges);
  // The whole-day part of the plan, as fixed bounds of the contested days' raw read: the days come
  // from a CTE, so without them the planner plans that read on every month of observation (the
  // partitions: 107–430 ms of planning at 10 M rows over 286 months) and prunes only at run time.
  const dayTimes = days.map((d) => d.getTime());
  const dayFrom = new Date(days.length ? Math.min(...dayTimes) : 0);
  const dayTo = new Date(days.length ? Math.max(...dayTimes) + DAY_MS : 0);
  // One source per asset and hour, as the other KPIs (rollup-parts.ts): a day that holds one source
  // is read from its day rollup; a contested day's readings, and the edge ranges', are read raw
  // and kept only where their source won the hour.
  const [row] = await db().$queryRaw<{ zone: string; p95: number }[]>`
    with dd as materialized (
      select r.${Prisma.raw(ASSET_KEYS.join(", r."))}, r.bucket, r.p95_inlet_count, r.p95_inlet_sorted, r.p95_inlet_bins, r.p95_inlet_bin_counts
        from ${Prisma.raw(LEVEL_TABLE.day)} r
       where ${scopeSql(scope, "r")} and r.bucket = any(${days}::timestamptz[])),
    contested as materialized (
      select ${assetCols}, bucket from dd group by ${assetCols}, bucket having count(*) > 1),
    d as materialized (
      select ${ZONE("x")} as zone, x.p95_inlet_sorted as sorted, x.p95_inlet_bins as bins, x.p95_inlet_bin_counts as counts
        from dd x
       where x.p95_inlet_count > 0 and not exists (select 1 from contested c where ${sameAsset("c", "x")} and c.bucket = x.bucket)),
    ranked_hours as materialized (
      select r.${Prisma.raw(SERIES_KEYS.join(", r."))}, r.bucket, ${sourceRank("r")} as rank
        from ${Prisma.raw(LEVEL_TABLE.hour)} r
       where ${scopeSql(scope, "r")} and r.bucket = any(${touched}::timestamptz[])
      union all
      -- Per contested asset-day, one index range ("offset 0": never flattened into a scan of
      -- every hourly rollup, which an OR-ed condition here cost 0.9 s at 10 M observations).
      select r.* from contested c
       cross join lateral (
         select r.${Prisma.raw(SERIES_KEYS.join(", r."))}, r.bucket, ${sourceRank("r")} as rank
           from ${Prisma.raw(LEVEL_TABLE.hour)} r
          where ${scopeSql(scope, "r")} and r.bucket >= c.bucket and r.bucket < c.bucket + interval '1 day' and ${sameAsset("c", "r")}
            and not (r.bucket = any(${touched}::timestamptz[]))
          offset 0) r),
    winners as materialized (
      select h.* from (select h.*, max(h.rank) over (partition by ${Prisma.raw(ASSET_KEYS.map((k) => `h.${k}`).join(", "))}, h.bucket) as top from ranked_hours h) h where h.rank = h.top),
    raw_rows as materialized (
      -- The edge ranges, then each contested day through the (tenant, site, time) index; disjoint.
      select o.* from observation o
       where ${inRangesSql("o.interval_start", rawRanges)} and ${scopeSql(scope)} and o.p95_rack_inlet_c is not null
      union all
      select o.* from contested c
       cross join lateral (
         select o.* from observation o
          where o.tenant_id = c.tenant_id and o.site_id = c.site_id and o.interval_start >= c.bucket and o.interval_start < c.bucket + interval '1 day'
            and o.interval_start >= ${dayFrom} and o.interval_start < ${dayTo}
            and ${sameAsset("c", "o")} and ${scopeSql(scope)} and o.p95_rack_inlet_c is not null
          offset 0) o),
    raw as materialized (
      select ${ZONE("o")} as zone, o.p95_rack_inlet_c as v
        from raw_rows o
       where exists (select 1 from winners w where ${sameAsset("w", "o")} and w.bucket = ${hourOf("o.interval_start")} and w.dataset_version_id is not distinct from o.dataset_version_id)),
    bins as (
      select zone, bin, sum(n) as n
        from (select d.zone, u.bin, u.n from d cross join lateral unnest(d.bins, d.counts) as u(bin, n)
              union all
              select raw.zone, ${BIN}, 1 from raw) x
       group by zone, bin),
    cum as (
      select zone, bin, n, sum(n) over (partition by zone order by bin) - n as below, sum(n) over (partition by zone) as total from bins),
    -- percentile_cont(0.95): the value at rank p = 0.95 × (N − 1), between ranks floor(p) and ceil(p).
    pos as (
      select zone, p, floor(p)::bigint as k1, ceil(p)::bigint as k2
        from (select distinct zone, 0.95::float8 * (total - 1)::float8 as p from cum) t),
    wanted as (
      select c.zone, c.bin, c.below
        from cum c join pos on pos.zone = c.zone
       where (pos.k1 >= c.below and pos.k1 < c.below + c.n) or (pos.k2 >= c.below and pos.k2 < c.below + c.n)),
    vals as (
      select w.zone, w.bin, w.below, s.v
        from wanted w
        join d on d.zone = w.zone
        cross join lateral (select array_position(d.bins, w.bin) as i) ix
        cross join lateral unnest(d.sorted[
          (select coalesce(sum(c), 0) from unnest(d.counts[1:ix.i - 1]) c) + 1 :
          (select sum(c) from unnest(d.counts[1:ix.i]) c)]) as s(v)
       where ix.i is not null
      union all
      select w.zone, w.bin, w.below, raw.v from wanted w join raw on raw.zone = w.zone and ${BIN} = w.bin),
    ranked as (
      select zone, v, below + row_number() over (partition by zone, bin order by v) - 1 as k from vals),
    pick as (
      select pos.zone, pos.p, pos.k1, pos.k2, min(r.v) filter (where r.k = pos.k1) as lo, min(r.v) filter (where r.k = pos.k2) as hi
        from pos join ranked r on r.zone = pos.zone and r.k in (pos.k1, pos.k2)
       group by 1, 2, 3, 4)
    -- float8_lerp, as percentile_cont computes it: lo + (p − k1) × (hi − lo).
    select zone, (case when k1 = k2 then lo else lo + ((p - k1) * (hi - lo)) end)::float8 as p95
      from pick
     order by 2 desc, 1
     limit 1`;
  return row ?? null;
}
