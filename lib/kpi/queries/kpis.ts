// The KPIs' reads (kpis.ts sums them): each series' measures over a period, merged from the rollup
// parts, and the period's observations with the one source per asset and hour the KPIs count.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { HOUR_MS, levelBucket, SERIES_KEYS } from "@/lib/rollups/measures";
import type { RollupPlan } from "../rollup-plan";
import type { Period, Scope } from "../types";
import { MERGED_MEASURES, periodPartsSql, versionRank } from "./rollup-parts";
import { scopeSql } from "./scope";

export type SeriesRow = {
  tenant_id: string;
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  rows: number;
  facility_kwh: number | null;
  it_kwh: number | null;
  pue_facility_kwh: number | null;
  pue_it_kwh: number | null;
  cooling_kwh: number | null;
  cooling_facility_kwh: number | null;
  cost: number | null;
  currency_min: string | null;
  currency_max: string | null;
  co2e_g: number | null;
  inlet_c_hours: number | null;
  inlet_hours: number | null;
  hotspot_readings: number;
  hotspot_hours: number | null;
  present_intervals: number;
  step_hours: number | null;
};

/**
 * Observations of the scope in the period, with `h`: the interval's length in hours — one source
 * per asset and UTC hour, as the KPIs count them (rollup-parts.ts): the latest upload wins,
 * datasets above MASS. The winner is decided over the whole hours the period touches, not only
 * over the part inside the period: a period starting at 00:01 must not count a MASS reading at
 * 00:15 when a dataset holds 00:00 of that asset (the KPIs would not).
 */
export function periodObservations(scope: Scope, period: Period): Prisma.Sql {
  const hoursFrom = new Date(Math.floor(period.from.getTime() / HOUR_MS) * HOUR_MS);
  const hoursTo = new Date(Math.ceil(period.to.getTime() / HOUR_MS) * HOUR_MS);
  return Prisma.sql`
    select x.* from (
      select o.*, max(o.source_rank) over (partition by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.hour) as top_rank
        from (select o.*, date_part('epoch', o.interval_end - o.interval_start) / 3600 as h,
                     coalesce(${Prisma.raw(versionRank("v"))}, '0') as source_rank,
                     ${Prisma.raw(levelBucket("hour", "o.interval_start"))} as hour
                from observation o left join dataset_version v on v.id = o.dataset_version_id
               where o.interval_start >= ${hoursFrom} and o.interval_start < ${hoursTo} and ${scopeSql(scope)}) o) x
     where x.source_rank = x.top_rank and x.interval_start >= ${period.from} and x.interval_start < ${period.to}`;
}

/** Each series' measures over the plan's parts (rollups and raw edges, overlaps resolved). */
export function seriesMeasures(scope: Scope, plan: RollupPlan): Promise<SeriesRow[]> {
  const keys = Prisma.raw(SERIES_KEYS.map((k) => `p.${k}`).join(", "));
  return db().$queryRaw<
    SeriesRow[]
  >`select ${keys}, ${MERGED_MEASURES} from (${periodPartsSql(scope, plan, Prisma.sql`null::timestamptz`)}) p group by ${keys}`;
}
