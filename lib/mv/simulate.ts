// Synthetic data-centre sites with a known true saving, for checking that the savings bands cover
// the truth as often as they claim (docs/MV-METHOD.md §5.2). Pure and seeded: the same seed gives
// the same site. Intervals are produced directly (no database), hour by hour, and aggregated to
// days as lib/mv/load-intervals.ts does (UTC days of 24 complete hours).
//
// A site: IT load with a daily and weekly shape, slow drift and growth; outdoor temperature with a
// seasonal and a daily cycle plus AR(1) weather; an economiser that cools for free below a
// threshold (10–24 °C) with a smooth transition; a chiller whose compressor power follows IT load ×
// the temperature lift above that threshold, with a COP that degrades as the lift grows, plus pumps
// and towers; fans; UPS/distribution losses and fixed loads; autocorrelated noise on the cooling
// and the other loads; missing hours and outages; sometimes a stale chiller meter (a reading stuck
// for hours). At the reporting period's start a change saves energy: either the economiser
// threshold is raised (a setpoint raise: more free-cooling hours) or the compressor power is cut by
// a share. The truth is the same site replayed without the change (the same random streams).
import { DAY_MS, HOUR_MS, type Granularity, type Interval } from "./intervals";
import type { StudyData } from "./compute";
import { DEFAULT_CONVENTIONS, StudySpecSchema, type StudySpec } from "./spec";
import type { ModelSpec } from "./models";
import { mulberry32 } from "@/lib/seeded-random";

function normalOf(u: () => number): () => number {
  return () => {
    const a = Math.max(u(), 1e-12);
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

export type SimulatedSite = {
  seed: number;
  /** What the site is like (for reading a failure). */
  params: Record<string, number | string>;
  /** Hourly intervals for both boundaries, with the truth per hour. */
  hours: {
    startMs: number;
    it: number;
    temp: number;
    facility: number;
    cooling: number;
    facilityTrue: number;
    coolingTrue: number;
    facilityCf: number;
    coolingCf: number;
    complete: boolean;
  }[];
  baselineFromMs: number;
  reportingFromMs: number;
  reportingToMs: number;
};

const YEAR_START = Date.UTC(2025, 0, 1);

/** One synthetic site: baseline 42–120 days, reporting 14–42 days right after it, anywhere in the year. */
export function simulateSite(seed: number): SimulatedSite {
  const u = mulberry32(seed * 7919 + 17);
  const normal = normalOf(u);
  const between = (a: number, b: number) => a + (b - a) * u();
  const baselineDays = Math.floor(between(42, 121));
  const reportingDays = Math.floor(between(14, 43));
  const startDay = Math.floor(between(0, 365));
  const baselineFromMs = YEAR_START + startDay * DAY_MS;
  const reportingFromMs = baselineFromMs + baselineDays * DAY_MS;
  const reportingToMs = reportingFromMs + reportingDays * DAY_MS;

  // Climate.
  const meanC = between(6, 20);
  const seasonC = between(5, 12);
  const dailyC = between(2.5, 6);
  const weatherSd = between(1.5, 3.5);
  const weatherPhi = 0.97;
  // IT load.
  const capacityKw = between(300, 3000);
  const utilisation = between(0.4, 0.8);
  const dailyAmp = between(0, 0.08);
  const weekendCut = between(0, 0.1);
  const growthPerDay = between(-0.0005, 0.0015);
  const driftSd = between(0.005, 0.03);
  // Cooling.
  const econC = between(10, 24);
  const transitionC = between(0.3, 3);
  const perC = between(0.008, 0.02);
  const copDegradation = between(0, 0.03);
  const pumps = between(0.01, 0.04);
  const fanBase = between(0.02, 0.05);
  const fanPerC = between(0, 0.002);
  const coolingNoise = between(0.01, 0.05);
  // Other loads.
  const ups = between(0.06, 0.12);
  const fixedShare = between(0.02, 0.08);
  // The change.
  const kind = u() < 0.5 ? "threshold" : "cut";
  const thresholdRaiseC = between(0.5, 2.5);
  const cutShare = between(0.03, 0.12);
  // Data gaps.
  const missingShare = between(0, 0.01);
  const outages = Math.floor(between(0, 4));
  const staleRuns = u() < 0.3 ? 1 : 0;

  const totalHours = Math.round((reportingToMs - baselineFromMs) / HOUR_MS);
  const missing = new Uint8Array(totalHours);
  for (let k = 0; k < outages; k++) {
    const at = Math.floor(between(0, totalHours));
    const len = Math.floor(between(2, 31));
    for (let h = at; h < Math.min(totalHours, at + len); h++) missing[h] = 1;
  }
  const staleAt = staleRuns ? Math.floor(between(0, totalHours)) : -1;
  const staleLen = staleRuns ? Math.floor(between(6, 49)) : 0;

  // The state starts a month before the baseline so the AR(1) processes are in equilibrium.
  let weather = normal() * weatherSd;
  let drift = normal() * driftSd;
  let coolingAr = 0;
  let otherAr = 0;
  const warmup = 30 * 24;
  const hours: SimulatedSite["hours"] = [];
  let staleChiller = 0;
  for (let h = -warmup; h < totalHours; h++) {
    const t = baselineFromMs + h * HOUR_MS;
    const hourOfDay = (t % DAY_MS) / HOUR_MS;
    const weekday = new Date(t).getUTCDay();
    const season = -Math.cos((2 * Math.PI * ((t - YEAR_START) / DAY_MS - 20)) / 365.25);
    weather = weatherPhi * weather + weatherSd * Math.sqrt(1 - weatherPhi ** 2) * normal();
    const temp = meanC + seasonC * season + dailyC * Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24) + weather;
    drift = 0.995 * drift + driftSd * Math.sqrt(1 - 0.995 ** 2) * normal();
    const weekend = weekday === 0 || weekday === 6;
    const growth = 1 + (growthPerDay * Math.max(0, h)) / 24;
    const util = Math.min(
      0.97,
      Math.max(
        0.05,
        utilisation *
          growth *
          (1 + dailyAmp * Math.cos((2 * Math.PI * (hourOfDay - 14)) / 24)) *
          (weekend ? 1 - weekendCut : 1) +
          drift +
          0.01 * normal(),
      ),
    );
    const it = capacityKw * util;
    coolingAr = 0.8 * coolingAr + coolingNoise * Math.sqrt(1 - 0.64) * normal();
    otherAr = 0.95 * otherAr + 0.01 * Math.sqrt(1 - 0.9025) * normal();
    const fanNoise = 0.015 * normal();
    const after = t >= reportingFromMs;
    const cooling = (threshold: number, cut: number) => {
      const lift = threshold === Infinity ? 0 : transitionC * Math.log1p(Math.exp((temp - threshold) / transitionC));
      const compressor = it * perC * lift * (1 + copDegradation * lift) * (1 - cut);
      const chiller = (compressor + it * pumps) * (1 + coolingAr);
      const fans = it * (fanBase + fanPerC * Math.max(0, temp - 10)) * (1 + fanNoise);
      return { chiller, fans };
    };
    const actual = cooling(
      after && kind === "threshold" ? econC + thresholdRaiseC : econC,
      after && kind === "cut" ? cutShare : 0,
    );
    const cf = cooling(econC, 0);
    const other = it * ups + capacityKw * fixedShare * (1 + otherAr);
    if (h < 0) continue;
    // A stale chiller meter repeats its last reading; the truth is what the plant drew.
    let chillerRead = actual.chiller;
    if (h === staleAt) staleChiller = actual.chiller;
    if (h > staleAt && h < staleAt + staleLen) chillerRead = staleChiller;
    const coolingRead = chillerRead + actual.fans;
    hours.push({
      startMs: t,
      it,
      temp,
      facility: it + coolingRead + other,
      cooling: coolingRead,
      facilityTrue: it + actual.chiller + actual.fans + other,
      coolingTrue: actual.chiller + actual.fans,
      facilityCf: it + cf.chiller + cf.fans + other,
      coolingCf: cf.chiller + cf.fans,
      complete: missing[h] === 0 && u() >= missingShare,
    });
  }
  return {
    seed,
    params: {
      baselineDays,
      reportingDays,
      startDay,
      meanC,
      seasonC,
      dailyC,
      weatherSd,
      capacityKw,
      utilisation,
      econC,
      transitionC,
      perC,
      copDegradation,
      kind,
      thresholdRaiseC,
      cutShare,
      staleLen,
    },
    hours,
    baselineFromMs,
    reportingFromMs,
    reportingToMs,
  };
}

export type SimulatedStudy = { spec: StudySpec; data: StudyData; trueSavingKwh: number; site: SimulatedSite };

/**
 * The study of one boundary and granularity on a simulated site, with its true saving over the
 * reporting intervals the study uses (complete ones): Σ (counterfactual − true energy).
 */
export function simulatedStudy(
  site: SimulatedSite,
  boundary: "facility" | "cooling",
  granularity: Granularity,
  model: ModelSpec = { kind: "auto" },
): SimulatedStudy {
  const iso = (t: number) => new Date(t).toISOString();
  const spec = StudySpecSchema.parse({
    boundary,
    source: { massUntil: "2030-01-01T00:00:00Z" },
    baseline: { from: iso(site.baselineFromMs), to: iso(site.reportingFromMs) },
    reporting: { from: iso(site.reportingFromMs), to: iso(site.reportingToMs) },
    granularity,
    model,
    // What a new study stores (lib/mv/studies.ts withConventions), so the coverage is the default's.
    conventions: DEFAULT_CONVENTIONS,
  });
  const energy = (h: SimulatedSite["hours"][number]) => (boundary === "facility" ? h.facility : h.cooling);
  const saved = (h: SimulatedSite["hours"][number]) =>
    boundary === "facility" ? h.facilityCf - h.facilityTrue : h.coolingCf - h.coolingTrue;
  const hourly: (Interval & { saved: number })[] = site.hours
    .filter((h) => h.complete)
    .map((h) => ({
      startMs: h.startMs,
      energyKwh: energy(h),
      itKwh: h.it,
      facilityKwh: h.facility,
      hourlyTempsC: [h.temp],
      pricePerKwh: 0.15,
      carbonGPerKwh: 300,
      saved: saved(h),
    }));
  let intervals: (Interval & { saved: number })[] = hourly;
  if (granularity === "daily") {
    intervals = [];
    let i = 0;
    while (i < hourly.length) {
      const day = hourly[i]!.startMs - (hourly[i]!.startMs % DAY_MS);
      const group: typeof hourly = [];
      while (i < hourly.length && hourly[i]!.startMs - (hourly[i]!.startMs % DAY_MS) === day) group.push(hourly[i++]!);
      if (group.length !== 24) continue;
      const total = (f: (h: (typeof hourly)[number]) => number) => group.reduce((s, h) => s + f(h), 0);
      intervals.push({
        startMs: day,
        energyKwh: total((h) => h.energyKwh),
        itKwh: total((h) => h.itKwh!),
        facilityKwh: total((h) => h.facilityKwh!),
        hourlyTempsC: group.map((h) => h.hourlyTempsC[0]!),
        hourlyItKwh: group.map((h) => h.itKwh!),
        pricePerKwh: 0.15,
        carbonGPerKwh: 300,
        saved: total((h) => h.saved),
      });
    }
  }
  const strip = ({ saved: _saved, ...iv }: Interval & { saved: number }): Interval => iv;
  const baseline = intervals.filter((iv) => iv.startMs < site.reportingFromMs);
  const reporting = intervals.filter((iv) => iv.startMs >= site.reportingFromMs);
  return {
    spec,
    data: { baseline: baseline.map(strip), reporting: reporting.map(strip), currency: "USD" },
    trueSavingKwh: reporting.reduce((s, iv) => s + iv.saved, 0),
    site,
  };
}

export type CoverageCell = {
  boundary: "facility" | "cooling";
  granularity: Granularity;
  model: ModelSpec["kind"];
  sites: number;
  /** Studies that could not be computed (counted as not covered). */
  failed: number;
  /** Share of studies whose 90 % band contains the true saving: Guideline 14's and the calibrated one. */
  g14Coverage: number;
  calibratedCoverage: number;
  /** Median |estimate − truth| / reporting-period energy. */
  medianAbsErrorShare: number;
  /** auto: how often each model won. */
  chosen: Record<string, number>;
  msPerStudy: number;
};

/**
 * Runs the study of `model` on sites seed, seed + 1, …, seed + sites − 1 and counts how often each
 * 90 % band contains the true saving.
 */
export function coverage(opts: {
  seed: number;
  sites: number;
  boundary: "facility" | "cooling";
  granularity: Granularity;
  model: ModelSpec["kind"];
  compute: (spec: StudySpec, data: StudyData) => import("./compute").StudyResults;
}): CoverageCell {
  let g14 = 0;
  let cal = 0;
  let failed = 0;
  const errors: number[] = [];
  const chosen: Record<string, number> = {};
  const started = performance.now();
  for (let i = 0; i < opts.sites; i++) {
    const study = simulatedStudy(simulateSite(opts.seed + i), opts.boundary, opts.granularity, {
      kind: opts.model,
      balancePointC: null,
    });
    let r: import("./compute").StudyResults;
    try {
      r = opts.compute(study.spec, study.data);
    } catch {
      failed++;
      continue;
    }
    const err = Math.abs(r.savings.avoidedKwh - study.trueSavingKwh);
    errors.push(err / r.savings.actualKwh);
    if (err <= r.savings.uncertainty90.absoluteKwh) g14++;
    if (r.savings.calibrated90 && err <= r.savings.calibrated90.absoluteKwh) cal++;
    chosen[r.model.kind] = (chosen[r.model.kind] ?? 0) + 1;
  }
  errors.sort((a, b) => a - b);
  return {
    boundary: opts.boundary,
    granularity: opts.granularity,
    model: opts.model,
    sites: opts.sites,
    failed,
    g14Coverage: g14 / opts.sites,
    calibratedCoverage: cal / opts.sites,
    medianAbsErrorShare: errors.length > 0 ? errors[Math.floor(errors.length / 2)]! : NaN,
    chosen,
    msPerStudy: (performance.now() - started) / opts.sites,
  };
}
