// What "Ask BioCore" reads of the stored observations: the tenants holding a site, and per series
// (facility, cluster, zone) of a site (and optional cluster) its latest non-null value of each field
// within a window. Sources as the dashboard counts them (lib/kpi/queries/scope.ts and
// rollup-parts.ts): the latest ready version of each dataset and the live MASS readings; within an
// asset's UTC hour only the highest-ranked source's rows (a dataset version by when it was loaded,
// its id breaking a tie, above live MASS readings), so a site loaded twice, or a MASS reading over a
// loaded interval, gives the value the dashboard shows.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { LATEST_READY_VERSION_IDS_SQL, levelBucket, liveMassSql, versionRankSql } from "@/lib/rollups/measures";
import type { SeriesLatest } from "../snapshot";

/** The principal's tenants that hold observations of `siteId` (and `clusterId`), any time. */
export async function tenantsWithSite(
  principal: Pick<Principal, "tenantIds">,
  siteId: string,
  clusterId: string | null,
): Promise<string[]> {
  const tenants = principal.tenantIds.length ? [...principal.tenantIds] : null;
  const rows = await db().$queryRaw<{ tenant_id: string }[]>`
    select distinct o.tenant_id from observation o
     where o.site_id = ${siteId} and (${clusterId}::text is null or o.cluster_id = ${clusterId})
       and o.deleted_at is null
       and (${tenants}::text[] is null or o.tenant_id = any(${tenants}::text[]))
     order by o.tenant_id`;
  return rows.map((r) => r.tenant_id);
}

const FIELDS: [keyof SeriesLatest, string][] = [
  ["currency", "currency"],
  ["itLoadKw", "it_load_kw"],
  ["facilityPowerKw", "facility_power_kw"],
  ["pueReported", "pue_reported"],
  ["carbonIntensityGco2PerKwh", "carbon_intensity_gco2_per_kwh"],
  ["energyPricePerKwh", "energy_price_per_kwh"],
  ["avgRackInletC", "avg_rack_inlet_c"],
  ["p95RackInletC", "p95_rack_inlet_c"],
  ["hotspotRackCount", "hotspot_rack_count"],
  ["coolingSetpointC", "cooling_setpoint_c"],
  ["chillerKw", "chiller_kw"],
  ["fanPowerKw", "fan_power_kw"],
  ["coolingValvePositionPct", "cooling_valve_position_pct"],
  ["cpuUtilPct", "cpu_util_pct"],
  ["gpuUtilPct", "gpu_util_pct"],
  ["batchPct", "batch_pct"],
  ["latencySensitivePct", "latency_sensitive_pct"],
];

const LATEST = Prisma.raw(
  FIELDS.map(
    ([key, column]) =>
      `(array_agg(w.${column} order by w.interval_start desc) filter (where w.${column} is not null))[1] as "${key}"`,
  ).join(",\n       "),
);

/** Per series of the tenant's site (and cluster) in [from, to): its latest value of each field. */
export async function latestPerSeries(
  tenantId: string,
  siteId: string,
  clusterId: string | null,
  from: Date,
  to: Date,
): Promise<SeriesLatest[]> {
  return db().$queryRaw<SeriesLatest[]>`
    with src as materialized (
      select o.*,
             ${Prisma.raw(levelBucket("hour", "o.interval_start"))} as hour,
             coalesce((select ${Prisma.raw(versionRankSql("v"))}
                         from dataset_version v where v.id = o.dataset_version_id), '0') as rank
        from observation o
       where o.tenant_id = ${tenantId} and o.site_id = ${siteId}
         and (${clusterId}::text is null or o.cluster_id = ${clusterId})
         and o.interval_start >= ${from} and o.interval_start < ${to}
         and o.deleted_at is null
         and (o.dataset_version_id = any(${Prisma.raw(LATEST_READY_VERSION_IDS_SQL)})
              or (${Prisma.raw(liveMassSql("o"))}))),
    ranked as (
      select s.*, max(s.rank) over (partition by s.facility_id, s.cluster_id, s.zone_id, s.hour) as top from src s),
    w as (select * from ranked where rank = top)
    select w.facility_id as "facilityId", w.cluster_id as "clusterId", w.zone_id as "zoneId",
           count(*)::int as rows, min(w.interval_start) as "firstStart", max(w.interval_end) as "lastEnd",
           ${LATEST}
      from w
     group by w.facility_id, w.cluster_id, w.zone_id
     order by w.facility_id nulls first, w.cluster_id nulls first, w.zone_id nulls first`;
}

export type AskScopeRow = { tenant_id: string; site_id: string; cluster_id: string | null };

/**
 * The sites and clusters "Ask BioCore" offers: those of the latest ready version of each of the
 * principal's datasets (their recorded series) and of their live MASS requests, sorted.
 */
export async function askScopes(principal: Pick<Principal, "tenantIds">): Promise<AskScopeRow[]> {
  const tenants = principal.tenantIds.length ? [...principal.tenantIds] : null;
  return db().$queryRaw<AskScopeRow[]>`
    select distinct a.tenant_id, a.site_id, a.cluster_id from (
      select d.tenant_id, x->>'site_id' as site_id, x->>'cluster_id' as cluster_id
        from (select distinct on (dataset_id) * from dataset_version where state = 'ready' order by dataset_id, version desc) v
        join dataset d on d.id = v.dataset_id
        cross join jsonb_array_elements(v.series) x
       where ${tenants}::text[] is null or d.tenant_id = any(${tenants}::text[])
      union
      select m.tenant_id, m.site_id, m.cluster_id from mass_request m
       where m.deleted_at is null and m.site_id is not null
         and (${tenants}::text[] is null or m.tenant_id = any(${tenants}::text[]))) a
     where a.site_id is not null
     order by 1, 2, 3 nulls first`;
}

/** The end of the latest interval of the tenant's stored observations of a site (and cluster), any source; null: none. */
export async function dataEndOf(tenantId: string, siteId: string, clusterId: string | null): Promise<Date | null> {
  const [row] = await db().$queryRaw<{ end: Date | null }[]>`
    select o.interval_end as end from observation o
     where o.tenant_id = ${tenantId} and o.site_id = ${siteId}
       and (${clusterId}::text is null or o.cluster_id = ${clusterId}) and o.deleted_at is null
     order by o.interval_start desc, o.interval_end desc limit 1`;
  return row?.end ?? null;
}
