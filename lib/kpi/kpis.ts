// The overview's KPIs over a scope and period, straight from stored observations. Energy is each
// interval's average power × its duration; PUE is energy-weighted (Σ facility kWh / Σ IT kWh over
// intervals that have both, ISO/IEC 30134-2); cost and CO2e weight price and carbon intensity by
// facility energy.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { scopeSql, type Period, type Scope } from "./scope";

export type Kpis = {
  facilityKwh: number | null;
  itKwh: number | null;
  pue: number | null;
  coolingKwh: number | null;
  coolingShare: number | null;
  cost: number | null;
  currency: string | null;
  co2eKg: number | null;
  avgInletC: number | null;
  p95InletC: number | null;
  p95InletWorst: string | null;
  hotspotHours: number | null;
  coverage: number | null;
  rows: number;
  series: number;
};

type Row = {
  facility_kwh: number | null;
  it_kwh: number | null;
  pue_facility_kwh: number | null;
  pue_it_kwh: number | null;
  cooling_kwh: number | null;
  cooling_facility_kwh: number | null;
  cost: number | null;
  currency_min: string | null;
  currency_max: string | null;
  co2e_kg: number | null;
  avg_inlet: number | null;
  hotspot_hours: number | null;
  rows: bigint;
};

/** Observations of the scope in the period, with `h`: the interval's length in hours. */
export function periodObservations(scope: Scope, period: Period): Prisma.Sql {
  return Prisma.sql`
    select o.*, extract(epoch from (o.interval_end - o.interval_start)) / 3600.0 as h
      from observation o
     where o.interval_start >= ${period.from} and o.interval_start < ${period.to} and ${scopeSql(scope)}`;
}

export async function computeKpis(scope: Scope, period: Period): Promise<Kpis> {
  const obs = periodObservations(scope, period);
  // Three independent aggregates over the same rows, run side by side.
  const totalsQuery = db().$queryRaw<Row[]>`
    select
      sum(o.facility_power_kw * o.h)::float8 as facility_kwh,
      sum(o.it_load_kw * o.h)::float8 as it_kwh,
      sum(o.facility_power_kw * o.h) filter (where o.it_load_kw is not null)::float8 as pue_facility_kwh,
      sum(o.it_load_kw * o.h) filter (where o.facility_power_kw is not null)::float8 as pue_it_kwh,
      sum((coalesce(o.chiller_kw, 0) + coalesce(o.fan_power_kw, 0)) * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null)::float8 as cooling_kwh,
      sum(o.facility_power_kw * o.h) filter (where (o.chiller_kw is not null or o.fan_power_kw is not null))::float8 as cooling_facility_kwh,
      sum(o.facility_power_kw * o.h * o.energy_price_per_kwh)::float8 as cost,
      min(o.currency) as currency_min,
      max(o.currency) as currency_max,
      (sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh) / 1000)::float8 as co2e_kg,
      (sum(o.avg_rack_inlet_c * o.h) / nullif(sum(o.h) filter (where o.avg_rack_inlet_c is not null), 0))::float8 as avg_inlet,
      (case when count(o.hotspot_rack_count) > 0 then coalesce(sum(o.h) filter (where o.hotspot_rack_count > 0), 0) end)::float8 as hotspot_hours,
      count(*) as rows
    from (${obs}) o`;
  const worstQuery = db().$queryRaw<{ zone: string; p95: number }[]>`
    select concat_ws(' / ', o.site_id, coalesce(o.zone_id, o.cluster_id)) as zone,
           percentile_cont(0.95) within group (order by o.p95_rack_inlet_c)::float8 as p95
      from (${obs}) o
     where o.p95_rack_inlet_c is not null
     group by 1
     order by 2 desc, 1
     limit 1`;
  // A dataset version holds one row per series and timestamp (the loader drops duplicates); MASS
  // requests may repeat a timestamp, so theirs are counted distinct.
  const coverageQuery = db().$queryRaw<{ present: bigint; step_hours: number }[]>`
    select (case when bool_or(o.mass_request_id is not null) then count(distinct o.interval_start) else count(*) end) as present, min(o.h)::float8 as step_hours
      from (${obs}) o
     where o.h > 0
     group by o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, (o.mass_request_id is not null)`;
  const [[totals], [worst], coverage] = await Promise.all([totalsQuery, worstQuery, coverageQuery]);
  const periodHours = (period.to.getTime() - period.from.getTime()) / 3_600_000;
  const expected = coverage.reduce((n, s) => n + Math.max(1, Math.floor(periodHours / s.step_hours)), 0);
  const present = coverage.reduce((n, s) => n + Number(s.present), 0);
  const t = totals!;
  const currency = t.currency_min === null ? null : t.currency_min === t.currency_max ? t.currency_min : "mixed";
  return {
    facilityKwh: t.facility_kwh,
    itKwh: t.it_kwh,
    pue: t.pue_facility_kwh && t.pue_it_kwh ? t.pue_facility_kwh / t.pue_it_kwh : null,
    coolingKwh: t.cooling_kwh,
    coolingShare: t.cooling_kwh !== null && t.cooling_facility_kwh ? t.cooling_kwh / t.cooling_facility_kwh : null,
    cost: t.cost,
    currency,
    co2eKg: t.co2e_kg,
    avgInletC: t.avg_inlet,
    p95InletC: worst?.p95 ?? null,
    p95InletWorst: worst?.zone ?? null,
    hotspotHours: t.hotspot_hours,
    coverage: expected > 0 ? Math.min(1, present / expected) : null,
    rows: Number(t.rows),
    series: coverage.length,
  };
}

export type KpiKey = "pue" | "facilityKwh" | "itKwh" | "coolingKwh" | "cost" | "co2eKg" | "avgInletC" | "p95InletC" | "hotspotHours" | "coverage";

/** Relative change current vs previous, or null when either is missing or the base is zero. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
