// Deterministic, physically plausible demo data: 15-minute telemetry for data-centre sites and
// clusters, with a documented cooling-setpoint raise so that before/after and M&V studies have a
// real effect to find. Pure: no I/O, no clock, no Math.random. Everything derives from `seed`
// through mulberry32 streams (one per site and one per cluster, each seeded from the seed and the
// stream's ids), so the same options give byte-identical CSV, and a site's weather does not change
// when clusters are added. The model, its formulas and constants are described in docs/demo-data.md.

import { gaussian, mulberry32 } from "@/lib/seeded-random";

export const DEMO_COLUMNS = [
  "timestamp_utc",
  "site_id",
  "facility_id",
  "cluster_id",
  "zone_id",
  "interval_seconds",
  "it_load_kw",
  "facility_power_kw",
  "outdoor_temp_c",
  "cooling_setpoint_c",
  "chiller_kw",
  "fan_power_kw",
  "avg_rack_inlet_c",
  "p95_rack_inlet_c",
  "hotspot_rack_count",
  "energy_price_usd_per_kwh",
  "carbon_intensity_gco2_per_kwh",
] as const;

export type DemoColumn = (typeof DEMO_COLUMNS)[number];

export type DemoCluster = { clusterId: string; zoneId: string; itCapacityKw: number };
export type DemoSite = { siteId: string; facilityId: string; climate: "temperate" | "warm"; clusters: DemoCluster[] };
export type DemoOptions = {
  seed: number;
  /** First interval start (UTC); each row is stamped with the start of its interval. */
  start: Date;
  days: number;
  intervalSeconds: number;
  sites: DemoSite[];
  /** Every site's cooling setpoint is `fromC` before `at` and `toC` from `at` on. */
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

// ---------------------------------------------------------------------------------------------
// Model constants (docs/demo-data.md lists them with their meaning).

/** Outdoor temperature: annual mean, seasonal and daily half-amplitudes, AR(1) weather noise. */
const CLIMATE = {
  warm: { meanC: 16, seasonC: 10, dailyC: 5.5, weatherSdC: 2.5 },
  temperate: { meanC: 11, seasonC: 7, dailyC: 4, weatherSdC: 2 },
} as const;

/** Grid per climate: price (USD/kWh) and carbon intensity (gCO2/kWh); the warm grid has more solar. */
const GRID = {
  warm: { price: 0.11, priceSeason: 0.025, priceSolarDip: 0.03, carbon: 220, carbonSeason: 30, carbonSolarDip: 60 },
  temperate: { price: 0.13, priceSeason: 0.03, priceSolarDip: 0.01, carbon: 330, carbonSeason: 40, carbonSolarDip: 45 },
} as const;

const WEATHER_TAU_H = 36; // weather anomalies persist about a day and a half
const PRICE_TAU_H = 12;
const CARBON_TAU_H = 8;
const DRIFT_TAU_H = 6; // slow wander of a cluster's utilisation (jobs starting and ending)

const GROWTH_PER_YEAR = 0.08; // IT load grows 8 % a year…
const GROWTH_MAX = 0.3; // …up to +30 % for long benchmark ranges
const MAX_UTILISATION = 0.97;

const FREE_COOLING_BELOW_C = 10; // economiser only below this outdoor temperature
const FULL_MECHANICAL_ABOVE_C = 20; // compressors carry the whole load above this
const CHILLER_FLOOR = 0.02; // pumps, towers and controls while free cooling, × IT
const CHILLER_BASE = 0.1; // compressor power at full mechanical cooling, × IT…
const CHILLER_PER_C = 0.01; // …plus this per °C of outdoor temperature above 18 °C
const REFERENCE_SETPOINT_C = 22;
const COP_GAIN_PER_C = 0.04; // compressor power × (1 − 0.04) per °C of higher setpoint
const FAN_BASE = 0.03;
const FAN_PER_C = 0.0012; // per °C of outdoor temperature above 10 °C
const UPS_DISTRIBUTION = 0.09; // UPS and distribution losses, × IT
const FIXED_OTHER = 0.05; // lighting, offices, BMS, security: × capacity, independent of load

const KW_PER_RACK = 8;
const HOTSPOT_C = 27; // ASHRAE's recommended maximum inlet temperature

// ---------------------------------------------------------------------------------------------
// The demo.

/** The documented demo event: the cooling setpoint raised at both sites. */
export const DEMO_EVENT = {
  at: "2026-06-01T00:00:00Z",
  fromC: 22,
  toC: 24,
  sites: ["mad1", "ams1"],
  description:
    "Cooling setpoint raised from 22 °C to 24 °C at both sites: compressor power −4 % per °C (chiller energy about −7 % at equal weather and load), rack inlets about +2 °C, and a few racks above 27 °C on hot afternoons.",
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

/** One year of 15-minute data for 2 sites × 3 clusters (210,240 rows) with the setpoint raise. */
export const DEFAULT_DEMO: DemoOptions = {
  seed: 20261123,
  start: new Date("2025-11-01T00:00:00Z"),
  days: 365,
  intervalSeconds: 900,
  sites: SITES,
  setpointChange: { at: new Date(DEMO_EVENT.at), fromC: DEMO_EVENT.fromC, toC: DEMO_EVENT.toC },
};

/** Rows that `opts` produce: intervals × clusters. */
export function demoRowCount(opts: DemoOptions): number {
  return intervalCount(opts) * opts.sites.reduce((n, s) => n + s.clusters.length, 0);
}

/**
 * Options producing at least `targetRows` rows, for benchmarks: the demo sites with 6 clusters each
 * (the default 3 and 3 more at 80 % of their capacity, at least 300 kW), from the demo start for as
 * many days as needed, with the documented setpoint raise.
 */
export function demoOptionsForRows(targetRows: number, seed = DEFAULT_DEMO.seed): DemoOptions {
  const sites: DemoSite[] = SITES.map((s) => ({
    ...s,
    clusters: [
      ...s.clusters,
      ...s.clusters.map((c, i) => ({
        clusterId: `c0${s.clusters.length + i + 1}`,
        zoneId: c.zoneId,
        itCapacityKw: Math.max(300, Math.round(c.itCapacityKw * 0.8)),
      })),
    ],
  }));
  const perDay = (86_400 / DEFAULT_DEMO.intervalSeconds) * sites.reduce((n, s) => n + s.clusters.length, 0);
  const days = Math.max(1, Math.ceil(targetRows / perDay));
  return { ...DEFAULT_DEMO, seed, days, sites };
}

// ---------------------------------------------------------------------------------------------
// Randomness: seeded streams (lib/seeded-random.ts), one per named quantity.

/** A 32-bit seed for a named stream: FNV-1a over "seed|name", then murmur3's finaliser. */
function streamSeed(seed: number, name: string): number {
  const text = `${seed}|${name}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

type Stream = { uniform: () => number; normal: () => number };

function stream(seed: number, name: string): Stream {
  const uniform = mulberry32(streamSeed(seed, name));
  return { uniform, normal: gaussian(uniform) };
}

/** AR(1) with correlation time `tauHours` and stationary standard deviation `sd`, for a step of `stepSeconds`. */
function ar1(tauHours: number, sd: number, stepSeconds: number) {
  const phi = Math.exp(-stepSeconds / (tauHours * 3600));
  return { phi, innovation: sd * Math.sqrt(1 - phi * phi), sd };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;
const COLDEST_MS = Date.UTC(2000, 0, 20); // the seasonal cycle is coldest around 20 January
const TAU = 2 * Math.PI;

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const r1 = (v: number) => Math.round(v * 10) / 10;
const r2 = (v: number) => Math.round(v * 100) / 100;
const r4 = (v: number) => Math.round(v * 10_000) / 10_000;
const smoothstep = (x: number) => {
  const c = clamp(x, 0, 1);
  return c * c * (3 - 2 * c);
};

/** Rack inlets in a cluster are taken as a symmetric triangular distribution (bounded: every rack
 *  sees the same cooling) around the average; its half-width is TRI_A × (p95 − average). */
const TRI_A = 1 / (1 - Math.sqrt(0.1));

/** Share of racks more than `x` spreads (p95 − average) above the average. */
function triangularTail(x: number): number {
  if (x >= TRI_A) return 0;
  if (x >= 0) return ((TRI_A - x) * (TRI_A - x)) / (2 * TRI_A * TRI_A);
  if (x > -TRI_A) return 1 - ((TRI_A + x) * (TRI_A + x)) / (2 * TRI_A * TRI_A);
  return 1;
}

function intervalCount(opts: DemoOptions): number {
  return Math.round((opts.days * 86_400) / opts.intervalSeconds);
}

// ---------------------------------------------------------------------------------------------
// The generator.

/** Rows in time order: for each interval, each site, each cluster. */
export function* demoRows(opts: DemoOptions): Generator<DemoRow> {
  const step = opts.intervalSeconds;
  const steps = intervalCount(opts);
  const startMs = opts.start.getTime();
  const changeMs = opts.setpointChange.at.getTime();
  const weatherAr = ar1(WEATHER_TAU_H, 1, step); // scaled by the climate's sd
  const priceAr = ar1(PRICE_TAU_H, 0.015, step);
  const carbonAr = ar1(CARBON_TAU_H, 20, step);
  const driftAr = ar1(DRIFT_TAU_H, 0.025, step);

  const sites = opts.sites.map((site) => {
    const rng = stream(opts.seed, `site:${site.siteId}`);
    const climate = CLIMATE[site.climate];
    return {
      site,
      rng,
      climate,
      grid: GRID[site.climate],
      weather: climate.weatherSdC * rng.normal(),
      price: priceAr.sd * rng.normal(),
      carbon: carbonAr.sd * rng.normal(),
      clusters: site.clusters.map((cluster) => {
        const c = stream(opts.seed, `cluster:${site.siteId}/${cluster.clusterId}`);
        return {
          cluster,
          rng: c,
          base: 0.45 + 0.2 * c.uniform(), // mean utilisation 45–65 %
          dailyAmp: 0.06 + 0.06 * c.uniform(), // ±6–12 % daily cycle
          weekendCut: 0.08 + 0.06 * c.uniform(), // 8–14 % lower on weekends
          racks: Math.max(1, Math.round(cluster.itCapacityKw / KW_PER_RACK)),
          drift: driftAr.sd * c.normal(),
        };
      }),
    };
  });

  for (let k = 0; k < steps; k++) {
    const t = startMs + k * step * 1000;
    const date = new Date(t);
    const timestamp = `${date.toISOString().slice(0, 19)}Z`;
    const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000; // UTC hour of day, fractional
    const weekday = date.getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const setpoint = t >= changeMs ? opts.setpointChange.toC : opts.setpointChange.fromC;
    const copFactor = Math.pow(1 - COP_GAIN_PER_C, setpoint - REFERENCE_SETPOINT_C);
    const season = -Math.cos((TAU * (t - COLDEST_MS)) / YEAR_MS); // −1 late January, +1 late July
    const daily = Math.cos((TAU * (hour - 15)) / 24); // +1 at 15:00 UTC
    const loadShape = Math.cos((TAU * (hour - 14)) / 24); // +1 at 14:00 UTC
    const solar = Math.max(0, Math.cos((TAU * (hour - 12.5)) / 24)) * (0.65 + 0.35 * season);
    const evening = Math.exp(-(((hour - 19) / 1.6) ** 2));
    const daytime = hour >= 8 && hour < 21 ? 1 : 0;
    const years = (t - startMs) / YEAR_MS;
    const growth = 1 + Math.min(GROWTH_MAX, GROWTH_PER_YEAR * years);

    for (const s of sites) {
      const { climate, grid, rng } = s;
      // Outdoor temperature: seasonal and daily cosines plus AR(1) weather, shared by the site's clusters.
      s.weather = weatherAr.phi * s.weather + climate.weatherSdC * weatherAr.innovation * rng.normal();
      const outdoor = climate.meanC + climate.seasonC * season + climate.dailyC * daily + s.weather;
      // Price: day-time premium, evening peak, winter premium, solar dip, AR(1) and white noise.
      s.price = priceAr.phi * s.price + priceAr.innovation * rng.normal();
      const price = clamp(
        grid.price -
          grid.priceSeason * season +
          0.035 * daytime +
          0.06 * evening -
          grid.priceSolarDip * solar +
          s.price +
          0.006 * rng.normal(),
        0.05,
        0.4,
      );
      // Carbon intensity: winter higher, a midday solar dip, an evening ramp, AR(1) and white noise.
      s.carbon = carbonAr.phi * s.carbon + carbonAr.innovation * rng.normal();
      const carbon = clamp(
        grid.carbon -
          grid.carbonSeason * season -
          grid.carbonSolarDip * solar +
          25 * evening +
          s.carbon +
          4 * rng.normal(),
        100,
        500,
      );
      // Economiser: free cooling below 10 °C, compressors ramping in up to 20 °C.
      const mechanical = smoothstep(
        (outdoor - FREE_COOLING_BELOW_C) / (FULL_MECHANICAL_ABOVE_C - FREE_COOLING_BELOW_C),
      );
      const compressor = mechanical * (CHILLER_BASE + CHILLER_PER_C * Math.max(0, outdoor - 18)) * copFactor;
      const fanShare = FAN_BASE + FAN_PER_C * Math.max(0, outdoor - 10);
      const heat = clamp((outdoor - 22) / 12, 0, 1); // cooling near its limit on hot days

      for (const c of s.clusters) {
        const { cluster, rng: cr } = c;
        c.drift = driftAr.phi * c.drift + driftAr.innovation * cr.normal();
        const utilisation = clamp(
          c.base * growth * (1 + c.dailyAmp * loadShape) * (weekend ? 1 - c.weekendCut : 1) +
            c.drift +
            0.01 * cr.normal(),
          0.05,
          MAX_UTILISATION,
        );
        const it = cluster.itCapacityKw * utilisation;
        const chiller = it * (CHILLER_FLOOR + compressor) * (1 + 0.02 * cr.normal());
        const fans = it * fanShare * (1 + 0.015 * cr.normal());
        const other = it * UPS_DISTRIBUTION + cluster.itCapacityKw * FIXED_OTHER;
        const avgInlet = setpoint + 0.3 + 1.2 * (utilisation - 0.5) + 0.8 * heat + 0.12 * cr.normal();
        const spread = 1.4 + 1.0 * heat + 1.0 * Math.max(0, utilisation - 0.6) + 0.15 * Math.abs(cr.normal());
        const itKw = r1(it);
        yield {
          timestamp_utc: timestamp,
          site_id: s.site.siteId,
          facility_id: s.site.facilityId,
          cluster_id: cluster.clusterId,
          zone_id: cluster.zoneId,
          interval_seconds: step,
          it_load_kw: itKw,
          facility_power_kw: Math.max(itKw, r1(it + chiller + fans + other)),
          outdoor_temp_c: r2(outdoor),
          cooling_setpoint_c: r2(setpoint),
          // Sub-metered cooling loads read to 10 W: a small cluster's chiller draws a few kW in
          // winter, and 0.1 kW steps would make the meter look stuck (stale) for hours.
          chiller_kw: r2(chiller),
          fan_power_kw: r2(fans),
          avg_rack_inlet_c: r2(avgInlet),
          p95_rack_inlet_c: r2(avgInlet + spread),
          hotspot_rack_count: Math.round(c.racks * triangularTail((HOTSPOT_C - avgInlet) / spread)),
          energy_price_usd_per_kwh: r4(price),
          carbon_intensity_gco2_per_kwh: r1(carbon),
        };
      }
    }
  }
}

/** The header line, then one CSV line per row (no line breaks inside; ids contain no commas). */
export function* demoCsvLines(opts: DemoOptions): Generator<string> {
  yield DEMO_COLUMNS.join(",");
  for (const r of demoRows(opts)) {
    yield `${r.timestamp_utc},${r.site_id},${r.facility_id},${r.cluster_id},${r.zone_id},${r.interval_seconds},${r.it_load_kw},${r.facility_power_kw},${r.outdoor_temp_c},${r.cooling_setpoint_c},${r.chiller_kw},${r.fan_power_kw},${r.avg_rack_inlet_c},${r.p95_rack_inlet_c},${r.hotspot_rack_count},${r.energy_price_usd_per_kwh},${r.carbon_intensity_gco2_per_kwh}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The truth an M&V study should find.

/**
 * The energy the setpoint raise really saved in [from, to) for the sites in `siteIds` (all when
 * empty): the same generator run without the raise (identical random streams: the setpoint only
 * scales compressor power and shifts inlet temperatures, it draws nothing) minus the data it made.
 * "cooling" is chiller + fans (IPMVP Option B's boundary), "facility" the whole meter. Rows hold
 * rounded values, as the CSV does, so this is exactly the counterfactual of the stored data.
 */
export function demoTrueSavingKwh(
  opts: DemoOptions,
  q: { siteIds?: string[]; from: Date; to: Date; boundary: "cooling" | "facility" },
): number {
  const counterfactual = demoRows({
    ...opts,
    setpointChange: { ...opts.setpointChange, toC: opts.setpointChange.fromC },
  });
  const from = q.from.getTime();
  const to = q.to.getTime();
  const hours = opts.intervalSeconds / 3600;
  const energy = (r: DemoRow) =>
    (q.boundary === "cooling" ? r.chiller_kw + r.fan_power_kw : r.facility_power_kw) * hours;
  let saved = 0;
  for (const actual of demoRows(opts)) {
    const without = counterfactual.next().value as DemoRow;
    const t = Date.parse(actual.timestamp_utc);
    if (t >= to) break;
    if (t < from || (q.siteIds?.length && !q.siteIds.includes(actual.site_id))) continue;
    saved += energy(without) - energy(actual);
  }
  return saved;
}
