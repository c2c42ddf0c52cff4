// Live MASS observations in the rollups: after one is stored or tombstoned, the hour and the day
// it falls in are recomputed from the series' live raw rows (of readings repeating a timestamp,
// the latest received: liveMassSql), in the same transaction. Recomputing
// (rather than adding or subtracting a contribution) keeps distinct counts, minima and maxima
// exact and leaves no rounding residue behind a deletion. Writers of one series and day take
// turns under an advisory lock, so each recomputation sees the rows the previous one committed.
import "server-only";
import type { Tx } from "@/lib/db";
import { DAY_MS, HOUR_MS, insertDaySql, insertHourSql, LEVEL_TABLE, liveMassSql } from "./measures";

export type MassPoint = { tenantId: string; siteId: string; facilityId: string | null; clusterId: string | null; zoneId: string | null; intervalStart: Date };

// Parameters: $1 tenant, $2 site, $3 facility, $4 cluster, $5 zone, $6 the bucket's start.
const SERIES_RAW = `${liveMassSql("o")} and o.tenant_id = $1 and o.site_id = $2 and o.facility_id is not distinct from $3::text and o.cluster_id is not distinct from $4::text and o.zone_id is not distinct from $5::text`;
const SERIES_ROLLUP = "r.dataset_version_id is null and r.tenant_id = $1 and r.site_id = $2 and r.facility_id is not distinct from $3::text and r.cluster_id is not distinct from $4::text and r.zone_id is not distinct from $5::text";
const HOUR_RAW = `${SERIES_RAW} and o.interval_start >= $6::timestamptz and o.interval_start < $6::timestamptz + interval '1 hour'`;
const DAY_RAW = `${SERIES_RAW} and o.interval_start >= $6::timestamptz and o.interval_start < $6::timestamptz + interval '1 day'`;
const DELETE_HOUR = `delete from ${LEVEL_TABLE.hour} r where ${SERIES_ROLLUP} and r.bucket = $6::timestamptz`;
const DELETE_DAY = `delete from ${LEVEL_TABLE.day} r where ${SERIES_ROLLUP} and r.bucket = $6::timestamptz`;
const INSERT_HOUR = insertHourSql(HOUR_RAW);
const INSERT_DAY = insertDaySql(`${SERIES_ROLLUP} and r.bucket >= $6::timestamptz and r.bucket < $6::timestamptz + interval '1 day'`, DAY_RAW);
// An arbitrary constant separating these locks from the idempotency keys' (lib/mass/repo.ts).
const LOCK_SPACE = 7400130011;

/** Recomputes the rollup hours and days that hold `points` (one series and day at a time). */
export async function refreshMassRollups(tx: Tx, points: MassPoint[]): Promise<void> {
  const days = new Map<string, { series: MassPoint; day: number; hours: Set<number> }>();
  for (const p of points) {
    const day = Math.floor(p.intervalStart.getTime() / DAY_MS) * DAY_MS;
    const key = [p.tenantId, p.siteId, p.facilityId ?? "", p.clusterId ?? "", p.zoneId ?? "", new Date(day).toISOString()].join("\n");
    const entry = days.get(key) ?? { series: p, day, hours: new Set<number>() };
    entry.hours.add(Math.floor(p.intervalStart.getTime() / HOUR_MS) * HOUR_MS);
    days.set(key, entry);
  }
  // A fixed order, so two transactions touching the same days cannot wait for each other in a cycle.
  for (const [key, { series: s, day, hours }] of [...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    await tx.$executeRawUnsafe("select pg_advisory_xact_lock(hashtextextended($1, $2))", key, LOCK_SPACE);
    const ids = [s.tenantId, s.siteId, s.facilityId, s.clusterId, s.zoneId] as const;
    for (const hour of hours) {
      await tx.$executeRawUnsafe(DELETE_HOUR, ...ids, new Date(hour));
      await tx.$executeRawUnsafe(INSERT_HOUR, ...ids, new Date(hour));
    }
    await tx.$executeRawUnsafe(DELETE_DAY, ...ids, new Date(day));
    await tx.$executeRawUnsafe(INSERT_DAY, ...ids, new Date(day));
  }
}
