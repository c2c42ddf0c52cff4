// Deterministic, physically plausible demo data: 15-minute telemetry for data-centre sites and
// clusters, with a documented cooling-setpoint raise so before/after and M&V have a real effect to
// find. Everything derives from a seed (mulberry32 PRNG, Box–Muller normals): the same options give
// byte-identical CSV. The model and its constants are described in docs/demo-data.md.

export const DEMO_COLUMNS = [
  "timestamp_utc", "site_id", "facility_id", "cluster_id", "zone_id", "interval_seconds",
  "it_load_kw", "facility_power_kw", "outdoor_temp_c", "cooling_setpoint_c", "chiller_kw", "fan_power_kw",
  "avg_rack_inlet_c", "p95_rack_inlet_c", "hotspot_rack_count", "energy_price_usd_per_kwh", "carbon_intensity_gco2_per_kwh",
] as const;

export type DemoCluster = { clusterId: string; zoneId: string; itCapacityKw: number };
export type DemoSite = { siteId: string; facilityId: string; climate: "temperate" | "warm"; clusters: DemoCluster[] };
export type DemoOptions = {
  seed: number;
  start: Date;
  days: number;
  intervalSeconds: number;
  sites: DemoSite[];
  setpointChange: { at: Date; fromC: number; toC: number };
};

export type DemoRow = {
  timestamp_utc: string;
  site_id: string;
  facility_id: string;
  cluster_id: string;
  zone_id: string;
  interval_seconds: number;
  it_load_kw: number;
  facility_power_kw: number;
  outdoor_temp_c: number;
  cooling_setpoint_c: number;
  chiller_kw: number;
  fan_power_kw: number;
  avg_rack_inlet_c: number;
  p95_rack_inlet_c: number;
  hotspot_rack_count: number;
  energy_price_usd_per_kwh: number;
  carbon_intensity_gco2_per_kwh: number;
};

/** The documented demo event: the chilled-air setpoint raised at both sites. */
export const DEMO_EVENT = {
  at: "2026-06-01T00:00:00Z",
  fromC: 22,
  toC: 24,
  sites: ["mad1", "ams1"],
  description: "Cooling setpoint raised from 22 °C to 24 °C at both sites (chiller power −3.5 % per °C at equal weather and load).",
} as const;

const SITES: DemoSite[] = [
  {
    siteId: "mad1",
    facilityId: "mad1-dc",
    climate: "warm",
    clusters: [
      { clusterId: "c01", zoneId: "hall-a", itCapacityKw: 1500 },
      { clusterId: "c02", zoneId: "hall-a", itCapacityKw: 900 },
      { clusterId: "c03", zoneId: "hall-b", itCapacityKw: 450 },
    ],
  },
  {
    siteId: "ams1",
    facilityId: "ams1-dc",
    climate: "temperate",
    clusters: [
      { clusterId: "c01", zoneId: "room-1", itCapacityKw: 1200 },
      { clusterId: "c02", zoneId: "room-1", itCapacityKw: 700 },
      { clusterId: "c03", zoneId: "room-2", itCapacityKw: 300 },
    ],
  },
];

export const DEFAULT_DEMO: DemoOptions = {
  seed: 20261123,
  start: new Date("2025-11-01T00:00:00Z"),
  days: 365,
  intervalSeconds: 900,
  sites: SITES,
  setpointChange: { at: new Date(DEMO_EVENT.at), fromC: DEMO_EVENT.fromC, toC: DEMO_EVENT.toC },
};

/** Options producing at least `targetRows` rows (2 sites × 6 clusters), for benchmarks. */
export function demoOptionsForRows(targetRows: number, seed = DEFAULT_DEMO.seed): DemoOptions {
  const sites: DemoSite[] = SITES.map((s) => ({
    ...s,
    clusters: [...s.clusters, ...s.clusters.map((c) => ({ ...c, clusterId: c.clusterId.replace("c0", "c1"), itCapacityKw: Math.round(c.itCapacityKw * 0.8) }))],
  }));
  const perDay = (86_400 / DEFAULT_DEMO.intervalSeconds) * sites.reduce((n, s) => n + s.clusters.length, 0);
  const days = Math.ceil(targetRows / perDay);
  const start = DEFAULT_DEMO.start;
  return { ...DEFAULT_DEMO, seed, days, sites, setpointChange: { ...DEFAULT_DEMO.setpointChange, at: new Date(start.getTime() + Math.floor(days / 2) * 86_400_000) } };
}

/** mulberry32: a small, fast 32-bit PRNG with good statistical quality for simulation. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const round = (v: number, step: number) => Math.round(v / step) * step;
const fix = (v: number, digits: number) => Number(v.toFixed(digits));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

const CLIMATE = {
  warm: { mean: 16.5, season: 9.5, daily: 5.5, carbon: 210 },
  temperate: { mean: 10.5, season: 7, daily: 4, carbon: 330 },
} as const;

export function* demoRows(opts: DemoOptions): Generator<DemoRow> {
  const rand = mulberry32(opts.seed);
  const steps = Math.round((opts.days * 86_400) / opts.intervalSeconds);
  const yearMs = 365.25 * 86_400_000;
  // AR(1) weather per site; slow utilisation drift per cluster.
  const weather = opts.sites.map(() => 0);
  const drift = opts.sites.map((s) => s.clusters.map(() => 0));
  const base = opts.sites.map((s, i) => s.clusters.map((_, j) => 0.52 + 0.06 * ((i * 3 + j) % 4)));
  for (let k = 0; k < steps; k++) {
    const t = opts.start.getTime() + k * opts.intervalSeconds * 1000;
    const date = new Date(t);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
    const dayOfYear = (t - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000;
    const weekday = date.getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const setpoint = t >= opts.setpointChange.at.getTime() ? opts.setpointChange.toC : opts.setpointChange.fromC;
    const seasonal = -Math.cos((2 * Math.PI * (dayOfYear - 20)) / 365.25); // −1 mid-January, +1 mid-July
    const timestamp = `${date.toISOString().slice(0, 19)}Z`;
    for (let i = 0; i < opts.sites.length; i++) {
      const site = opts.sites[i]!;
      const climate = CLIMATE[site.climate];
      weather[i] = 0.985 * weather[i]! + 0.3 * normal(rand);
      const outdoor = climate.mean + climate.season * seasonal + climate.daily * Math.cos((2 * Math.PI * (hour - 15)) / 24) + weather[i]!;
      // Economizer: free cooling below 12 °C outdoors, full mechanical cooling above 20 °C.
      const mechanical = clamp((outdoor - 12) / 8, 0, 1);
      const peakShape = 0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 14)) / 24);
      const dailyPrice = (hour >= 8 && hour < 21 ? 0.035 : 0) + (hour >= 17 && hour < 21 ? 0.06 : 0);
      const price = clamp(0.115 + 0.025 * -seasonal + dailyPrice + 0.008 * normal(rand), 0.05, 0.4);
      const solar = Math.max(0, Math.cos((2 * Math.PI * (hour - 12.5)) / 24)) * (60 + 40 * seasonal);
      const carbon = clamp(climate.carbon + 35 * -seasonal - solar + 12 * normal(rand), 100, 500);
      for (let j = 0; j < site.clusters.length; j++) {
        const cluster = site.clusters[j]!;
        drift[i]![j] = 0.97 * drift[i]![j]! + 0.006 * normal(rand);
        const growth = 1 + 0.08 * ((t - opts.start.getTime()) / yearMs);
        const utilisation = clamp(base[i]![j]! * growth * (1 + 0.16 * (peakShape - 0.5)) * (weekend ? 0.9 : 1) + drift[i]![j]! + 0.01 * normal(rand), 0.2, 0.97);
        const it = cluster.itCapacityKw * utilisation;
        // Chiller power grows with outdoor temperature and falls 3.5 % per °C of higher setpoint.
        const chiller = Math.max(0, it * (0.025 + mechanical * (0.09 + 0.008 * Math.max(0, outdoor - 18))) * (1 - 0.035 * (setpoint - 22)) * (1 + 0.02 * normal(rand)));
        const fans = it * (0.032 + 0.0008 * Math.max(0, outdoor - 10)) * (1 + 0.015 * normal(rand));
        const losses = it * 0.09 + cluster.itCapacityKw * 0.03;
        const avgInlet = setpoint + 0.6 + 1.4 * (utilisation - 0.6) + 0.25 * normal(rand);
        const p95Inlet = avgInlet + 1.2 + 0.6 * mechanical * peakShape + 0.25 * Math.abs(normal(rand));
        const itKw = fix(round(it, 0.1), 1);
        yield {
          timestamp_utc: timestamp,
          site_id: site.siteId,
          facility_id: site.facilityId,
          cluster_id: cluster.clusterId,
          zone_id: cluster.zoneId,
          interval_seconds: opts.intervalSeconds,
          it_load_kw: itKw,
          facility_power_kw: Math.max(itKw, fix(round(it + chiller + fans + losses, 0.1), 1)),
          outdoor_temp_c: fix(outdoor, 2),
          cooling_setpoint_c: setpoint,
          chiller_kw: fix(round(chiller, 0.1), 1),
          fan_power_kw: fix(round(fans, 0.1), 1),
          avg_rack_inlet_c: fix(avgInlet, 2),
          p95_rack_inlet_c: fix(p95Inlet, 2),
          hotspot_rack_count: Math.max(0, Math.round((p95Inlet - 27) * 3)),
          energy_price_usd_per_kwh: fix(price, 4),
          carbon_intensity_gco2_per_kwh: fix(carbon, 1),
        };
      }
    }
  }
}

/** The header line, then one CSV line per row (no line breaks inside). */
export function* demoCsvLines(opts: DemoOptions): Generator<string> {
  yield DEMO_COLUMNS.join(",");
  for (const row of demoRows(opts)) yield DEMO_COLUMNS.map((c) => row[c]).join(",");
}
