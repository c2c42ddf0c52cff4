// A study's intervals from stored observations: hourly sums per boundary over the study's scope and
// pinned data source, then whole days for daily studies. An hour counts only when every series of
// the scope reported all of it with the variables the model needs; partial hours are left out and
// show up as lost coverage instead of as a dip in energy.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { ASSET_KEYS, hourOf, versionRank } from "@/lib/kpi/rollup-parts";
import { DAY_MS, HOUR_MS, type Interval } from "./intervals";
import type { StudySpec } from "./spec";

type HourRow = {
  hour: Date;
  hour_ms: number;
  hours: number;
  rows: number;
  energy_n: number;
  energy_kwh: number | null;
  it_n: number;
  it_kwh: number | null;
  facility_n: number;
  facility_kwh: number | null;
  temp_n: number;
  temp_c: number | null;
  price: number | null;
  carbon: number | null;
};

export type LoadedData = {
  baseline: Interval[];
  reporting: Interval[];
  series: number;
  sites: string[];
  currency: string | null;
  notes: string[];
};

const COLUMNS = Prisma.sql`o.id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.interval_start, o.interval_end, o.dataset_version_id,
  o.facility_power_kw, o.it_load_kw, o.chiller_kw, o.fan_power_kw, o.outdoor_temp_c, o.energy_price_per_kwh, o.carbon_intensity_gco2_per_kwh, o.currency`;

/**
 * Observations of the study's scope and source, one per series and interval, by the dashboard's
 * rule (README "One value per series and interval") applied to the sources the study pins: within
 * an asset's UTC hour only the highest-ranked source with data there counts — the latest uploaded
 * dataset version, dataset versions above MASS — and of MASS readings repeating a series'
 * timestamp, the latest received. Two pinned versions covering the same hours (a re-upload, a copy
 * under another name, a 15-minute and an hourly export) are never summed, and an hour is never
 * stitched from two of them.
 */
function studyObservations(tenantId: string, spec: StudySpec, from: Date, to: Date): Prisma.Sql {
  const s = spec.scope;
  const conditions: Prisma.Sql[] = [Prisma.sql`o.tenant_id = ${tenantId}`, Prisma.sql`o.interval_start >= ${from}`, Prisma.sql`o.interval_start < ${to}`];
  if (s.siteId) conditions.push(Prisma.sql`o.site_id = ${s.siteId}`);
  if (s.facilityId) conditions.push(Prisma.sql`o.facility_id = ${s.facilityId}`);
  if (s.clusterId) conditions.push(Prisma.sql`o.cluster_id = ${s.clusterId}`);
  if (s.zoneId) conditions.push(Prisma.sql`o.zone_id = ${s.zoneId}`);
  const versions = [...new Set(spec.source.datasetVersionIds)];
  const sources: Prisma.Sql[] = [];
  if (versions.length > 0) sources.push(Prisma.sql`o.dataset_version_id = any(${versions}::uuid[])`);
  if (spec.source.massUntil) {
    sources.push(Prisma.sql`(o.deleted_at is null and o.mass_request_id in (select m.id from mass_request m where m.tenant_id = ${tenantId} and m.deleted_at is null and m.received_at <= ${new Date(spec.source.massUntil)}))`);
  }
  conditions.push(Prisma.sql`(${Prisma.join(sources, " or ")})`);
  const rows = Prisma.sql`select ${COLUMNS}, extract(epoch from (o.interval_end - o.interval_start)) / 3600.0 as h from observation o where ${Prisma.join(conditions, " and ")}`;
  // One dataset version holds one row per series and timestamp (the loader drops repeats): alone, it needs no rule.
  if (versions.length <= 1 && !spec.source.massUntil) return rows;
  const asset = Prisma.raw(ASSET_KEYS.filter((k) => k !== "tenant_id").map((k) => `r.${k}`).join(", "));
  return Prisma.sql`
    select w.* from (
      select r.*,
             max(r.rank) over (partition by ${asset}, ${hourOf("r.interval_start")}) as top,
             row_number() over (partition by ${asset}, r.interval_start, r.rank order by r.id desc) as nth
        from (select o.*, coalesce(${Prisma.raw(versionRank("v"))}, '0') as rank
                from (${rows}) o left join dataset_version v on v.id = o.dataset_version_id) r
    ) w
    where w.rank = w.top and w.nth = 1`;
}

export async function loadStudyData(tenantId: string, spec: StudySpec): Promise<LoadedData> {
  const from = new Date(spec.baseline.from);
  const to = new Date(spec.reporting.to);
  const obs = studyObservations(tenantId, spec, from, to);
  const energy = spec.boundary === "cooling" ? Prisma.sql`(o.chiller_kw + o.fan_power_kw)` : Prisma.sql`o.facility_power_kw`;
  const [seriesRows, hours] = await Promise.all([
    db().$queryRaw<{ site_id: string; currency_min: string | null; currency_max: string | null }[]>`
      select o.site_id, min(o.currency) as currency_min, max(o.currency) as currency_max
        from (${obs}) o group by o.site_id, o.facility_id, o.cluster_id, o.zone_id`,
    db().$queryRaw<HourRow[]>`
      select (extract(epoch from h.hour) * 1000)::float8 as hour_ms, h.*
        from (
          select date_trunc('hour', o.interval_start at time zone 'UTC') as hour,
                 sum(o.h)::float8 as hours,
                 count(*)::int as rows,
                 count(${energy})::int as energy_n,
                 sum(${energy} * o.h)::float8 as energy_kwh,
                 count(o.it_load_kw)::int as it_n,
                 sum(o.it_load_kw * o.h)::float8 as it_kwh,
                 count(o.facility_power_kw)::int as facility_n,
                 sum(o.facility_power_kw * o.h)::float8 as facility_kwh,
                 count(o.outdoor_temp_c)::int as temp_n,
                 avg(o.outdoor_temp_c)::float8 as temp_c,
                 (sum(o.facility_power_kw * o.h * o.energy_price_per_kwh) / nullif(sum(o.facility_power_kw * o.h) filter (where o.energy_price_per_kwh is not null), 0))::float8 as price,
                 (sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh) / nullif(sum(o.facility_power_kw * o.h) filter (where o.carbon_intensity_gco2_per_kwh is not null), 0))::float8 as carbon
            from (${obs}) o
           group by 1
        ) h
       order by h.hour`,
  ]);
  const sites = [...new Set(seriesRows.map((r) => r.site_id))].sort();
  const seriesCount = seriesRows.length;
  const notes: string[] = [];
  if (sites.length > 1 && spec.model.kind !== "mean" && spec.model.kind !== "ols_it") {
    notes.push(`The scope spans ${sites.length} sites (${sites.join(", ")}): the outdoor temperature is the average over their series' rows (a site with more series weighs more). Scope a weather model to one site for a sound result.`);
  }
  const currencies = new Set(seriesRows.flatMap((s) => [s.currency_min, s.currency_max]).filter((c): c is string => c !== null));

  // Complete hours only: all series present for the whole hour with every needed value.
  const complete: Interval[] = [];
  for (const h of hours) {
    const full = seriesCount > 0 && Math.abs(h.hours - seriesCount) < 1e-6 && h.energy_n === h.rows && h.energy_kwh !== null;
    if (!full) continue;
    complete.push({
      startMs: h.hour_ms,
      energyKwh: h.energy_kwh!,
      itKwh: h.it_n === h.rows ? h.it_kwh : null,
      facilityKwh: h.facility_n === h.rows ? h.facility_kwh : null,
      hourlyTempsC: h.temp_n > 0 && h.temp_c !== null ? [h.temp_c] : [],
      pricePerKwh: h.price,
      carbonGPerKwh: h.carbon,
    });
  }
  const intervals = spec.granularity === "daily" ? toDays(complete) : complete;
  const split = new Date(spec.reporting.from).getTime();
  const baselineEnd = new Date(spec.baseline.to).getTime();
  return {
    baseline: intervals.filter((iv) => iv.startMs < baselineEnd),
    reporting: intervals.filter((iv) => iv.startMs >= split),
    series: seriesCount,
    sites,
    currency: currencies.size === 1 ? [...currencies][0]! : currencies.size > 1 ? "mixed" : null,
    notes,
  };
}

/** Whole UTC days of 24 complete hours; a day missing any hour is left out. */
function toDays(hours: Interval[]): Interval[] {
  const days: Interval[] = [];
  let i = 0;
  while (i < hours.length) {
    const day = hours[i]!.startMs - (hours[i]!.startMs % DAY_MS);
    const group: Interval[] = [];
    while (i < hours.length && hours[i]!.startMs - (hours[i]!.startMs % DAY_MS) === day) group.push(hours[i++]!);
    if (group.length !== 24 || group.some((h, k) => h.startMs !== day + k * HOUR_MS)) continue;
    const sumOf = (f: (h: Interval) => number | null) => (group.every((h) => f(h) !== null) ? group.reduce((s, h) => s + f(h)!, 0) : null);
    const facility = sumOf((h) => h.facilityKwh);
    const weighted = (f: (h: Interval) => number | null) => {
      if (facility === null || facility === 0 || group.some((h) => f(h) === null)) return null;
      return group.reduce((s, h) => s + f(h)! * h.facilityKwh!, 0) / facility;
    };
    days.push({
      startMs: day,
      energyKwh: group.reduce((s, h) => s + h.energyKwh, 0),
      itKwh: sumOf((h) => h.itKwh),
      facilityKwh: facility,
      hourlyTempsC: group.every((h) => h.hourlyTempsC.length > 0) ? group.map((h) => h.hourlyTempsC[0]!) : [],
      ...(group.every((h) => h.itKwh !== null) ? { hourlyItKwh: group.map((h) => h.itKwh!) } : {}),
      pricePerKwh: weighted((h) => h.pricePerKwh),
      carbonGPerKwh: weighted((h) => h.carbonGPerKwh),
    });
  }
  return days;
}
