// Live MASS observations in the rollups, kept up to date in the transaction that stores or
// tombstones one. Of the live readings for one series and interval_start the latest received (the
// highest observation id) counts; the others carry superseded_at (liveMassSql), settled here.
//
// - A stored reading that supersedes nothing (the usual case: a new interval) adds its
//   contribution to its hour and day rollup rows: sums and counts add, minima and maxima take the
//   least or greatest, the day's sorted p95 readings take the new one in place. No raw row is read.
// - A stored reading that replaces the current one, and a tombstone, recompute the series' hour
//   and day from its live rows: at most one per timestamp (observation_live_mass_idx holds only
//   those), however often a collector resent a timestamp. Recomputing rather than subtracting keeps
//   minima and maxima exact and leaves no rounding residue behind.
//
// Writers of one series and day take turns under a transaction-scoped advisory lock, taken for
// every series-day first and in a fixed order; the work under it no longer grows with the data. The
// lock costs no concurrency the rollups did not already cost: each writer updates the series-day's
// rollup row, whose row lock it holds until commit just the same.
import "server-only";
import type { Tx } from "@/lib/db";
import { DAY_MS, HOUR_MS, insertDaySql, insertHourSql, LEVEL_TABLE, levelBucket, liveMassSql, MEASURES, p95Bin, SERIES_KEYS, withHours, type Measure } from "./measures";

export type MassPoint = { tenantId: string; siteId: string; facilityId: string | null; clusterId: string | null; zoneId: string | null; intervalStart: Date };
/** A stored MASS observation: its id and where it falls. */
export type StoredMassPoint = MassPoint & { id: bigint };

// Parameters: $1 tenant, $2 site, $3 facility, $4 cluster, $5 zone, $6 the bucket's start or the interval_start.
const SERIES = (a: string) =>
  `${a}.tenant_id = $1 and ${a}.site_id = $2 and ${a}.facility_id is not distinct from $3::text and ${a}.cluster_id is not distinct from $4::text and ${a}.zone_id is not distinct from $5::text`;
const SERIES_RAW = `${liveMassSql("o")} and ${SERIES("o")}`;
const SERIES_ROLLUP = `r.dataset_version_id is null and ${SERIES("r")}`;
const HOUR_RAW = `${SERIES_RAW} and o.interval_start >= $6::timestamptz and o.interval_start < $6::timestamptz + interval '1 hour'`;
const DAY_RAW = `${SERIES_RAW} and o.interval_start >= $6::timestamptz and o.interval_start < $6::timestamptz + interval '1 day'`;
const DELETE_HOUR = `delete from ${LEVEL_TABLE.hour} r where ${SERIES_ROLLUP} and r.bucket = $6::timestamptz`;
const DELETE_DAY = `delete from ${LEVEL_TABLE.day} r where ${SERIES_ROLLUP} and r.bucket = $6::timestamptz`;
const INSERT_HOUR = insertHourSql(HOUR_RAW);
const INSERT_DAY = insertDaySql(`${SERIES_ROLLUP} and r.bucket >= $6::timestamptz and r.bucket < $6::timestamptz + interval '1 day'`, DAY_RAW);

/** The series' current readings (live, not superseded) at interval_start $6: the partial index. */
const CURRENT = `select o.id from observation o where ${SERIES_RAW} and o.interval_start = $6::timestamptz`;
/** Supersedes the current readings at $6 older than the latest one; returns the latest's id. */
const SETTLE = `
  with cur as (${CURRENT}),
       top as (select max(id) as id from cur),
       older as (update observation o set superseded_at = now() from cur, top where o.id = cur.id and cur.id < top.id returning o.id)
  select (select id from top)::text as top, (select count(*) from older)::int as superseded`;
/** When no reading at $6 is current (the current one was tombstoned), the latest live one is again. */
const RESTORE = `
  update observation o set superseded_at = null
   where o.id = (select l.id from observation l
                  where l.dataset_version_id is null and l.mass_request_id is not null and l.deleted_at is null and ${SERIES("l")}
                    and l.interval_start = $6::timestamptz
                  order by l.id desc limit 1)
     and o.superseded_at is not null
     and not exists (${CURRENT})`;

// An arbitrary constant separating these locks from the idempotency keys' (lib/mass/repo.ts).
const LOCK_SPACE = 7400130011;

type SeriesDay = { key: string; series: MassPoint; day: number; hours: Set<number> };

function seriesDays(points: MassPoint[]): SeriesDay[] {
  const days = new Map<string, SeriesDay>();
  for (const p of points) {
    const day = Math.floor(p.intervalStart.getTime() / DAY_MS) * DAY_MS;
    const key = [p.tenantId, p.siteId, p.facilityId ?? "", p.clusterId ?? "", p.zoneId ?? "", new Date(day).toISOString()].join("\n");
    const entry = days.get(key) ?? { key, series: p, day, hours: new Set<number>() };
    entry.hours.add(Math.floor(p.intervalStart.getTime() / HOUR_MS) * HOUR_MS);
    days.set(key, entry);
  }
  // A fixed order, so two transactions touching the same days cannot wait for each other in a cycle.
  return [...days.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const idsOf = (s: MassPoint) => [s.tenantId, s.siteId, s.facilityId, s.clusterId, s.zoneId] as const;

/** Takes the advisory lock of every series-day of `points`, in a fixed order. */
export async function lockMassSeriesDays(tx: Tx, points: MassPoint[]): Promise<void> {
  for (const { key } of seriesDays(points)) await tx.$executeRawUnsafe("select pg_advisory_xact_lock(hashtextextended($1, $2))", key, LOCK_SPACE);
}

/** Recomputes the hours and days of `days` from the series' live rows (the lock is held). */
async function recompute(tx: Tx, days: SeriesDay[]): Promise<void> {
  for (const { series, day, hours } of days) {
    const ids = idsOf(series);
    for (const hour of hours) {
      await tx.$executeRawUnsafe(DELETE_HOUR, ...ids, new Date(hour));
      await tx.$executeRawUnsafe(INSERT_HOUR, ...ids, new Date(hour));
    }
    await tx.$executeRawUnsafe(DELETE_DAY, ...ids, new Date(day));
    await tx.$executeRawUnsafe(INSERT_DAY, ...ids, new Date(day));
  }
}

/**
 * Settles which reading is current at each of `points` (the latest live one) and recomputes the
 * rollup hours and days that hold them from the series' live rows. Exact whatever was stored or
 * tombstoned before it, so any writer of MASS observations may call it; ingest takes the
 * incremental path (addMassObservations).
 */
export async function refreshMassRollups(tx: Tx, points: MassPoint[]): Promise<void> {
  await lockMassSeriesDays(tx, points);
  for (const p of points) {
    await tx.$executeRawUnsafe(SETTLE, ...idsOf(p), p.intervalStart);
    await tx.$executeRawUnsafe(RESTORE, ...idsOf(p), p.intervalStart);
  }
  await recompute(tx, seriesDays(points));
}

/**
 * After storing MASS observations (`points`, with their ids) in `tx`: supersedes the readings they
 * replace and brings the rollups up to date — by adding each new reading's contribution, or, where
 * one replaced the current reading of its timestamp, by recomputing that series' hour and day from
 * its live rows. Call it last in the transaction: the series-days stay locked until the commit.
 */
export async function addMassObservations(tx: Tx, points: StoredMassPoint[]): Promise<void> {
  await lockMassSeriesDays(tx, points);
  const replaced: MassPoint[] = [];
  for (const p of [...points].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const [settled] = await tx.$queryRawUnsafe<{ top: string | null; superseded: number }[]>(SETTLE, ...idsOf(p), p.intervalStart);
    // A reading was superseded (the current one, or this one with an older current one, by a later
    // reading of the same request): recompute, after every addition, from the live rows.
    if (settled && settled.superseded > 0) replaced.push(p);
    // The reading is current and replaced none: add it. (Not current and nothing superseded: a later
    // reading another request stored first supersedes it at once; it never counted.)
    else if (settled?.top === String(p.id)) {
      await tx.$executeRawUnsafe(ADD_HOUR, p.id);
      await tx.$executeRawUnsafe(ADD_DAY, p.id);
    }
  }
  if (replaced.length) await recompute(tx, seriesDays(replaced));
}

/**
 * Tombstones the observations of a MASS request (deleted_at = `at`): the series-days are locked
 * first, then the rows hidden, the latest remaining reading of each timestamp made current again,
 * and the hours and days recomputed from the live rows.
 */
export async function tombstoneMassObservations(tx: Tx, massRequestId: string, at: Date): Promise<void> {
  const points = await tx.observation.findMany({
    where: { massRequestId },
    select: { tenantId: true, siteId: true, facilityId: true, clusterId: true, zoneId: true, intervalStart: true },
  });
  await lockMassSeriesDays(tx, points);
  await tx.observation.updateMany({ where: { massRequestId }, data: { deletedAt: at } });
  await refreshMassRollups(tx, points);
}

// ——— Adding one observation's contribution ($1: its id) ———

const KEY_LIST = SERIES_KEYS.join(", ");
const MEASURE_LIST = MEASURES.map((m) => m.column);
/** The one row's own measures, as the rollups define them (MEASURES' aggregates over one row). */
const ONE = (level: "hour" | "day") => `
  select ${SERIES_KEYS.map((k) => `o.${k}`).join(", ")}, ${levelBucket(level, "o.interval_start")} as bucket,
         ${MEASURES.map((m) => `${m.raw} as ${m.column}`).join(", ")}, max(o.p95_rack_inlet_c) as p95
    from ${withHours("o.id = $1::bigint")}
   group by ${SERIES_KEYS.map((k) => `o.${k}`).join(", ")}, o.interval_start`;

/** A rollup measure `r.column` merged with the new row's `n.column`. */
function addSql(m: Measure): string {
  const [r, n] = [`r.${m.column}`, `n.${m.column}`];
  if (m.merge === "min") return `least(${r}, ${n})`;
  if (m.merge === "max") return `greatest(${r}, ${n})`;
  // A sum over no value is null: either side may be.
  return `coalesce(${r} + ${n}, ${r}, ${n})`;
}

const SAME_ROW = `r.dataset_version_id is null and r.tenant_id = n.tenant_id and r.site_id = n.site_id and r.facility_id is not distinct from n.facility_id
  and r.cluster_id is not distinct from n.cluster_id and r.zone_id is not distinct from n.zone_id and r.bucket = n.bucket`;

/** Sorted values, bins and counts of the array `vals` (as insertDaySql builds them). */
const P95_ARRAYS = (vals: string) => `
  select (select array_agg(v order by v) from unnest(${vals}) v),
         (select array_agg(bin order by bin) from (select ${p95Bin("v")} as bin from unnest(${vals}) v group by 1) x),
         (select array_agg(c order by bin) from (select ${p95Bin("v")} as bin, count(*)::int as c from unnest(${vals}) v group by 1) x)`;

// Update the series' row for the bucket, or insert one when it has none. Only MASS rollup rows of
// a locked series-day are written, so no other transaction inserts the same row meanwhile.
const ADD_HOUR = `
  with n as (${ONE("hour")}),
       u as (update ${LEVEL_TABLE.hour} r set ${MEASURE_LIST.map((c, i) => `${c} = ${addSql(MEASURES[i]!)}`).join(", ")}
               from n where ${SAME_ROW} returning r.id)
  insert into ${LEVEL_TABLE.hour} (${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")})
  select ${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")} from n where not exists (select 1 from u)`;

const ADD_DAY = `
  with n as (${ONE("day")}),
       u as (update ${LEVEL_TABLE.day} r set ${MEASURE_LIST.map((c, i) => `${c} = ${addSql(MEASURES[i]!)}`).join(", ")},
                    (p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts) = (
                      ${P95_ARRAYS("case when n.p95 is null then r.p95_inlet_sorted else coalesce(r.p95_inlet_sorted, '{}'::float8[]) || n.p95 end")})
               from n where ${SAME_ROW} returning r.id)
  insert into ${LEVEL_TABLE.day} (${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")}, p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts)
  select ${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")},
         case when p95 is null then null else array[p95] end,
         case when p95 is null then null else array[${p95Bin("p95")}] end,
         case when p95 is null then null else array[1] end
    from n where not exists (select 1 from u)`;
