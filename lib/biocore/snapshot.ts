// The MASS snapshot "Ask BioCore" sends for a site (and optional cluster) over a window of stored
// observations, whatever their source (dataset versions and live MASS readings alike). Pure: the
// rows come from repo/snapshot.ts, which keeps, per asset (tenant, site, facility, cluster, zone)
// and UTC hour, only the rows of the source the dashboard counts there (the latest-loaded ready
// dataset version above live MASS readings: lib/kpi/queries/rollup-parts.ts, sourceRank), and
// gives per series its latest non-null value of each field within the window.
//
// How each field of the snapshot is formed from the series' latest values (a field no series
// carries is left out of the request, never invented):
// - power (it_load_kw, facility_power_kw, chiller_kw, fan_power_kw): the sum over the series
//   (the site's or cluster's current total);
// - hotspot_rack_count: the sum over the series;
// - p95_rack_inlet_c: the maximum over the series (the hottest one binds the inlet limit);
// - every other number (avg_rack_inlet_c, pue_reported, carbon intensity, energy price,
//   cooling_setpoint_c, cooling valve position, CPU/GPU utilization, batch and latency-sensitive
//   shares): the arithmetic mean over the series that carry it;
// - currency: the latest series' currency; facility and zone: named only when every series shares one;
// - the time window: the first interval start to the last interval end of the rows kept.
import type { ObservationSignals, SimpleObservation } from "./request-of";

export type SeriesLatest = ObservationSignals & {
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  rows: number;
  firstStart: Date;
  lastEnd: Date;
};

type NumberField = {
  [K in keyof SeriesLatest]: SeriesLatest[K] extends number | null ? K : never;
}[keyof SeriesLatest];

const SUM: NumberField[] = ["itLoadKw", "facilityPowerKw", "chillerKw", "fanPowerKw", "hotspotRackCount"];
const MAX: NumberField[] = ["p95RackInletC"];
const MEAN: NumberField[] = [
  "avgRackInletC",
  "pueReported",
  "carbonIntensityGco2PerKwh",
  "energyPricePerKwh",
  "coolingSetpointC",
  "coolingValvePositionPct",
  "cpuUtilPct",
  "gpuUtilPct",
  "batchPct",
  "latencySensitivePct",
];

/** How each field was formed, for the documentation and the ask's answer. */
export const SNAPSHOT_AGGREGATES: Record<NumberField, "sum" | "max" | "mean"> = Object.fromEntries([
  ...SUM.map((k) => [k, "sum"]),
  ...MAX.map((k) => [k, "max"]),
  ...MEAN.map((k) => [k, "mean"]),
]) as Record<NumberField, "sum" | "max" | "mean">;

const one = <T>(values: T[]): T | null => (new Set(values).size === 1 ? values[0]! : null);

/** The snapshot of the series (at least one); `siteId` and `clusterId` as asked. */
export function snapshotOf(siteId: string, clusterId: string | null, series: SeriesLatest[]): SimpleObservation {
  if (series.length === 0) throw new Error("snapshotOf needs at least one series");
  const values = (k: NumberField) => series.map((s) => s[k]).filter((v): v is number => v !== null);
  const aggregate = (k: NumberField): number | null => {
    const v = values(k);
    if (v.length === 0) return null;
    const how = SNAPSHOT_AGGREGATES[k];
    if (how === "sum") return v.reduce((a, b) => a + b, 0);
    if (how === "max") return Math.max(...v);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const latest = [...series].sort((a, b) => b.lastEnd.getTime() - a.lastEnd.getTime());
  const hotspots = aggregate("hotspotRackCount");
  return {
    siteId,
    facilityId: one(series.map((s) => s.facilityId)),
    clusterId: clusterId ?? one(series.map((s) => s.clusterId)),
    zoneId: one(series.map((s) => s.zoneId)),
    intervalStart: new Date(Math.min(...series.map((s) => s.firstStart.getTime()))),
    intervalEnd: new Date(Math.max(...series.map((s) => s.lastEnd.getTime()))),
    currency: latest.find((s) => s.currency !== null)?.currency ?? null,
    itLoadKw: aggregate("itLoadKw"),
    facilityPowerKw: aggregate("facilityPowerKw"),
    pueReported: aggregate("pueReported"),
    carbonIntensityGco2PerKwh: aggregate("carbonIntensityGco2PerKwh"),
    energyPricePerKwh: aggregate("energyPricePerKwh"),
    avgRackInletC: aggregate("avgRackInletC"),
    p95RackInletC: aggregate("p95RackInletC"),
    hotspotRackCount: hotspots === null ? null : Math.round(hotspots),
    coolingSetpointC: aggregate("coolingSetpointC"),
    chillerKw: aggregate("chillerKw"),
    fanPowerKw: aggregate("fanPowerKw"),
    coolingValvePositionPct: aggregate("coolingValvePositionPct"),
    cpuUtilPct: aggregate("cpuUtilPct"),
    gpuUtilPct: aggregate("gpuUtilPct"),
    batchPct: aggregate("batchPct"),
    latencySensitivePct: aggregate("latencySensitivePct"),
  };
}
