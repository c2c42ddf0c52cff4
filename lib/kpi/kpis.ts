// The overview's KPIs over a scope and period, from stored observations (through their rollups).
// Energy is each interval's average power × its duration; PUE is energy-weighted (Σ facility kWh /
// Σ IT kWh over intervals that have both, ISO/IEC 30134-2); cost and CO2e weight price and carbon
// intensity by facility energy. A series is one site/facility/cluster/zone of one dataset version,
// or of one tenant's live MASS requests.
import "server-only";
import { seriesMeasures, type SeriesRow } from "./queries/kpis";
import { worstZoneP95 } from "./queries/worst-zone";
import { planRollups } from "./rollup-plan";
import type { Period, Scope } from "./scope";

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

const sum = (rows: SeriesRow[], key: keyof SeriesRow): number | null =>
  rows.reduce<number | null>((acc, r) => (r[key] === null ? acc : (acc ?? 0) + (r[key] as number)), null);

/**
 * The KPIs: whole days and hours from the rollups, partial hours from raw observations (see
 * rollup-plan.ts), summed per series in the database and across series here.
 */
export async function computeKpis(scope: Scope, period: Period): Promise<Kpis> {
  const plan = planRollups(period);
  const [series, worst] = await Promise.all([seriesMeasures(scope, plan), worstZoneP95(scope, plan)]);
  const periodHours = (period.to.getTime() - period.from.getTime()) / 3_600_000;
  // Coverage per asset (tenant, site, facility, cluster, zone), whichever sources hold its hours:
  // the time its present intervals cover against the period. Overlaps are already resolved (one
  // source per asset-hour), so an asset whose data switches from a dataset to MASS midway is one
  // fully covered series, not two half-covered ones.
  const assets = new Map<string, { hours: number; step: number }>();
  for (const s of series) {
    if (s.present_intervals <= 0 || !s.step_hours) continue;
    const key = JSON.stringify([s.tenant_id, s.site_id, s.facility_id, s.cluster_id, s.zone_id]);
    const a = assets.get(key) ?? { hours: 0, step: s.step_hours };
    a.hours += s.present_intervals * s.step_hours;
    a.step = Math.min(a.step, s.step_hours);
    assets.set(key, a);
  }
  const covered = [...assets.values()];
  const expected = covered.reduce((n, a) => n + Math.max(a.step, periodHours), 0);
  const present = covered.reduce((n, a) => n + a.hours, 0);
  const currencies = new Set(
    series.flatMap((s) => [s.currency_min, s.currency_max]).filter((c): c is string => c !== null),
  );
  const facilityKwh = sum(series, "facility_kwh");
  const pueFacility = sum(series, "pue_facility_kwh");
  const pueIt = sum(series, "pue_it_kwh");
  const coolingKwh = sum(series, "cooling_kwh");
  const coolingFacility = sum(series, "cooling_facility_kwh");
  const co2eG = sum(series, "co2e_g");
  const inletCHours = sum(series, "inlet_c_hours");
  const inletHours = sum(series, "inlet_hours");
  const hotspotReadings = series.reduce((n, s) => n + s.hotspot_readings, 0);
  return {
    facilityKwh,
    itKwh: sum(series, "it_kwh"),
    pue: pueFacility && pueIt ? pueFacility / pueIt : null,
    coolingKwh,
    coolingShare: coolingKwh !== null && coolingFacility ? coolingKwh / coolingFacility : null,
    cost: sum(series, "cost"),
    currency: currencies.size === 0 ? null : currencies.size === 1 ? [...currencies][0]! : "mixed",
    co2eKg: co2eG === null ? null : co2eG / 1000,
    avgInletC: inletCHours === null || !inletHours ? null : inletCHours / inletHours,
    p95InletC: worst?.p95 ?? null,
    p95InletWorst: worst?.zone ?? null,
    hotspotHours: hotspotReadings > 0 ? (sum(series, "hotspot_hours") ?? 0) : null,
    coverage: expected > 0 ? Math.min(1, present / expected) : null,
    rows: series.reduce((n, s) => n + s.rows, 0),
    series: covered.length,
  };
}

/** Relative change current vs previous, or null when either is missing or the base is zero. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
