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
import type { PgStep, PgTx, Tx } from "@/lib/db";
import {
  DAY_MS,
  HOUR_MS,
  insertDaySql,
  insertHourSql,
  LEVEL_TABLE,
  levelBucket,
  liveMassSql,
  MEASURES,
  p95Bin,
  SERIES_KEYS,
  withHours,
  type Measure,
} from "../measures";

export type MassPoint = {
  tenantId: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  intervalStart: Date;
};

/** What the rollups' maintenance needs of a transaction: one statement at a time, rows back (a plain `pg` transaction is one). */
export type SqlRunner = PgTx;

/** A Prisma interactive transaction as a SqlRunner. */
export function prismaRunner(tx: Tx): SqlRunner {
  return { query: <T>(text: string, values: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...values) };
}

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
const INSERT_DAY = insertDaySql(
  `${SERIES_ROLLUP} and r.bucket >= $6::timestamptz and r.bucket < $6::timestamptz + interval '1 day'`,
  DAY_RAW,
);

/** The series' current readings (live, not superseded) at interval_start $6: the partial index. */
const CURRENT = `select o.id from observation o where ${SERIES_RAW} and o.interval_start = $6::timestamptz`;
/** Supersedes the current readings at $6 older than the latest one. */
const SETTLE_ONE = `
  with cur as (${CURRENT}),
       top as (select max(id) as id from cur)
  update observation o set superseded_at = now() from cur, top where o.id = cur.id and o.interval_start = $6::timestamptz and cur.id < top.id`;
/** When no reading at $6 is current (the current one was tombstoned), the latest live one is again. */
const RESTORE = `
  update observation o set superseded_at = null
   where o.interval_start = $6::timestamptz
     and o.id = (select l.id from observation l
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
    const key = [
      p.tenantId,
      p.siteId,
      p.facilityId ?? "",
      p.clusterId ?? "",
      p.zoneId ?? "",
      new Date(day).toISOString(),
    ].join("\n");
    const entry = days.get(key) ?? { key, series: p, day, hours: new Set<number>() };
    entry.hours.add(Math.floor(p.intervalStart.getTime() / HOUR_MS) * HOUR_MS);
    days.set(key, entry);
  }
  // A fixed order, so two transactions touching the same days cannot wait for each other in a cycle.
  return [...days.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const idsOf = (s: MassPoint) => [s.tenantId, s.siteId, s.facilityId, s.clusterId, s.zoneId] as const;

const LOCK_SQL = "select count(pg_advisory_xact_lock(hashtextextended(k, $2)))::int as n from unnest($1::text[]) k";

/** The statement taking the advisory lock of every series-day of `points`, in a fixed order (unnest keeps the array's order); null: none. */
export function lockMassSeriesDaysStep(points: MassPoint[]): PgStep | null {
  const keys = seriesDays(points).map((d) => d.key);
  return keys.length ? { text: LOCK_SQL, values: [keys, LOCK_SPACE] } : null;
}

/** Takes the advisory lock of every series-day of `points`, in a fixed order, in one statement. */
export async function lockMassSeriesDays(sql: SqlRunner, points: MassPoint[]): Promise<void> {
  const step = lockMassSeriesDaysStep(points);
  if (step) await sql.query(step.text, step.values);
}

/** Recomputes the hours and days of `days` from the series' live rows (the lock is held). */
async function recompute(sql: SqlRunner, days: SeriesDay[]): Promise<void> {
  for (const { series, day, hours } of days) {
    const ids = idsOf(series);
    for (const hour of hours) {
      await sql.query(DELETE_HOUR, [...ids, new Date(hour)]);
      await sql.query(INSERT_HOUR, [...ids, new Date(hour)]);
    }
    await sql.query(DELETE_DAY, [...ids, new Date(day)]);
    await sql.query(INSERT_DAY, [...ids, new Date(day)]);
  }
}

/**
 * Settles which reading is current at each of `points` (the latest live one) and recomputes the
 * rollup hours and days that hold them from the series' live rows. Exact whatever was stored or
 * tombstoned before it; used after a tombstone (ingest takes the incremental path, addMassObservations).
 */
export async function refreshMassRollups(sql: SqlRunner, points: MassPoint[]): Promise<void> {
  await lockMassSeriesDays(sql, points);
  for (const p of points) {
    await sql.query(SETTLE_ONE, [...idsOf(p), p.intervalStart]);
    await sql.query(RESTORE, [...idsOf(p), p.intervalStart]);
  }
  await recompute(sql, seriesDays(points));
}

const POINT_COLUMNS =
  "tenant_id text, site_id text, facility_id text, cluster_id text, zone_id text, interval_start timestamptz";
const SAME_SERIES = (a: string, b: string) =>
  `${a}.tenant_id = ${b}.tenant_id and ${a}.site_id = ${b}.site_id and ${a}.facility_id is not distinct from ${b}.facility_id and ${a}.cluster_id is not distinct from ${b}.cluster_id and ${a}.zone_id is not distinct from ${b}.zone_id`;

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
  const sql = prismaRunner(tx);
  await lockMassSeriesDays(sql, points);
  await tx.observation.updateMany({ where: { massRequestId }, data: { deletedAt: at } });
  await refreshMassRollups(sql, points);
}

// ——— Adding new readings' contributions ($1: their ids) ———

const KEY_LIST = SERIES_KEYS.join(", ");
const MEASURE_LIST = MEASURES.map((m) => m.column);
const KEYS_OF = (a: string) => SERIES_KEYS.map((k) => `${a}.${k}`).join(", ");

/**
 * The new rows' measures per series and bucket, as the rollups define them (MEASURES' aggregates);
 * for a day, also its p95 readings. `rows` answers (id, interval_start): with the partition key, a
 * row is found in its month's partition only.
 */
const NEW = (level: "hour" | "day", rows: string) => `
  select ${KEYS_OF("o")}, ${levelBucket(level, "o.interval_start")} as bucket,
         ${MEASURES.map((m) => `${m.raw} as ${m.column}`).join(", ")}${level === "day" ? ", array_agg(o.p95_rack_inlet_c) filter (where o.p95_rack_inlet_c is not null) as p95s" : ""}
    from ${withHours(`(o.id, o.interval_start) in (${rows})`)}
   group by ${KEYS_OF("o")}, ${levelBucket(level, "o.interval_start")}`;

/** A rollup measure `r.column` merged with the new rows' `n.column`. */
function addSql(m: Measure): string {
  const [r, n] = [`r.${m.column}`, `n.${m.column}`];
  if (m.merge === "min") return `least(${r}, ${n})`;
  if (m.merge === "max") return `greatest(${r}, ${n})`;
  // A sum over no value is null: either side may be.
  return `coalesce(${r} + ${n}, ${r}, ${n})`;
}

const SAME_ROW = (r: string, n: string) =>
  `${r}.dataset_version_id is null and ${SAME_SERIES(r, n)} and ${r}.bucket = ${n}.bucket`;

/** Sorted values, bins and counts of the array `vals` (as insertDaySql builds them). */
const P95_ARRAYS = (vals: string) => `
  select (select array_agg(v order by v) from unnest(${vals}) v),
         (select array_agg(bin order by bin) from (select ${p95Bin("v")} as bin from unnest(${vals}) v group by 1) x),
         (select array_agg(c order by bin) from (select ${p95Bin("v")} as bin, count(*)::int as c from unnest(${vals}) v group by 1) x)`;

// Each series' row for the bucket is updated, or inserted when it has none. Only MASS rollup rows of
// locked series-days are written, so no other transaction inserts the same row meanwhile. Hours and
// days in one statement: one round trip for the whole addition.
// Written with LATERAL lookups, so each point and each rollup row is found through its index
// whatever the plan's row estimates (the statement runs with a generic plan): the current readings
// of a point through observation_live_mass_idx, a bucket's rollup row through (dataset_version_id, bucket).
const SETTLE_AND_ADD = `
  with p as (select row_number() over () as k, d.* from (select distinct * from json_to_recordset($1::json) as x(${POINT_COLUMNS})) d),
       cur as (select p.k, p.interval_start, o.id, o.mass_request_id, max(o.id) over (partition by p.k) as top
                 from p cross join lateral (
                   select o.id, o.mass_request_id from observation o
                    where ${liveMassSql("o")} and o.tenant_id = p.tenant_id and o.site_id = p.site_id and o.interval_start = p.interval_start
                      and o.facility_id is not distinct from p.facility_id and o.cluster_id is not distinct from p.cluster_id and o.zone_id is not distinct from p.zone_id) o),
       older as (update observation o set superseded_at = now() from cur
                  where o.id = cur.id and o.interval_start = cur.interval_start and cur.id < cur.top returning cur.k),
       fresh as (select distinct cur.id, cur.interval_start from cur
                  where cur.id = cur.top and cur.mass_request_id = any($2::uuid[]) and not exists (select 1 from older where older.k = cur.k)),
       nh as (select n.*, r.id as rollup_id from (${NEW("hour", "select id, interval_start from fresh")}) n
                left join lateral (select r.id from ${LEVEL_TABLE.hour} r where ${SAME_ROW("r", "n")} limit 1) r on true),
       uh as (update ${LEVEL_TABLE.hour} r set ${MEASURE_LIST.map((c, i) => `${c} = ${addSql(MEASURES[i]!)}`).join(", ")}
                from nh n where r.id = n.rollup_id),
       ih as (insert into ${LEVEL_TABLE.hour} (${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")})
              select ${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")} from nh n where n.rollup_id is null),
       nd as (select n.*, r.id as rollup_id from (${NEW("day", "select id, interval_start from fresh")}) n
                left join lateral (select r.id from ${LEVEL_TABLE.day} r where ${SAME_ROW("r", "n")} limit 1) r on true),
       ud as (update ${LEVEL_TABLE.day} r set ${MEASURE_LIST.map((c, i) => `${c} = ${addSql(MEASURES[i]!)}`).join(", ")},
                     (p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts) = (
                       ${P95_ARRAYS("case when n.p95s is null then r.p95_inlet_sorted else coalesce(r.p95_inlet_sorted, '{}'::float8[]) || n.p95s end")})
                from nd n where r.id = n.rollup_id),
       idy as (insert into ${LEVEL_TABLE.day} (${KEY_LIST}, bucket, ${MEASURE_LIST.join(", ")}, p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts)
               select ${KEYS_OF("n")}, n.bucket, ${MEASURE_LIST.map((c) => `n.${c}`).join(", ")}, s.sorted, b.bins, b.counts
                 from nd n
                 left join lateral (select array_agg(v order by v) as sorted from unnest(n.p95s) v) s on true
                 left join lateral (select array_agg(bin order by bin) as bins, array_agg(c order by bin) as counts
                                      from (select ${p95Bin("v")} as bin, count(*)::int as c from unnest(n.p95s) v group by 1) x) b on true
                where n.rollup_id is null)
  select p.tenant_id, p.site_id, p.facility_id, p.cluster_id, p.zone_id, p.interval_start
    from p where exists (select 1 from older where older.k = p.k)`;

/**
 * Adding MASS readings to the rollups, as two statements of the storing transaction's round trip
 * (lib/mass/repo/store.ts): `lock` (after the readings are written, before `settle`) takes the series-days'
 * locks; `settle` (after them) then, for every distinct point (series and interval_start), keeps
 * the latest of its current readings and supersedes the older ones, and each new reading that is
 * the latest and replaced none adds its contribution to its hour and day rows (summed per series
 * and bucket: sums and counts add, minima and maxima take the least or greatest, the day's sorted
 * p95 readings take the new ones in place). `points` are the readings offered, `requestIds` the
 * MASS requests they belong to: a reading counts as new when its request is one of them (only the
 * requests the transaction created have readings). `settle` answers the points where a reading
 * replaced another (a collector resending a timestamp): recomputeReplaced then recomputes those
 * series' hours and days from their live rows — exact, with no rounding residue. The locks are held
 * until the commit.
 */
export function addMassObservationsSteps(
  points: MassPoint[],
  requestIds: string[],
): { lock: PgStep; settle: PgStep } | null {
  const lock = lockMassSeriesDaysStep(points);
  if (!lock) return null;
  const rows = points.map((p) => ({
    tenant_id: p.tenantId,
    site_id: p.siteId,
    facility_id: p.facilityId,
    cluster_id: p.clusterId,
    zone_id: p.zoneId,
    interval_start: p.intervalStart.toISOString(),
  }));
  return { lock, settle: { text: SETTLE_AND_ADD, values: [JSON.stringify(rows), requestIds] } };
}

/** The rows `settle` answers (points where a reading replaced another) recomputed; the lock is held. */
export async function recomputeReplaced(sql: SqlRunner, replaced: Record<string, unknown>[]): Promise<void> {
  if (!replaced.length) return;
  const points = replaced.map((r) => ({
    tenantId: r.tenant_id as string,
    siteId: r.site_id as string,
    facilityId: r.facility_id as string | null,
    clusterId: r.cluster_id as string | null,
    zoneId: r.zone_id as string | null,
    intervalStart: new Date(r.interval_start as string),
  }));
  await recompute(sql, seriesDays(points));
}
