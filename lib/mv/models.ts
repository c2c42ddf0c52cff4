// The baseline models a study can use. Each turns intervals into a design matrix, fits it by OLS,
// and predicts the adjusted baseline for the reporting period with the same columns.
//  - mean: intercept only;
//  - ols_it: intercept + IT energy;
//  - ols_it_cdd: intercept + IT energy + cooling degree-hours/days above a balance point, fixed or
//    searched over a grid by adjusted R² among fits with a positive cooling slope (CalTRACK §3.4);
//  - towt: time-of-week and temperature (Mathieu et al. 2011, LBNL; CalTRACK 2.0 §3.7–3.12): one indicator
//    per hour of the week, piecewise-linear temperature with knots inside the baseline's range,
//    separate temperature slopes for "occupied" and "unoccupied" hours of the week, optionally IT
//    energy as a further variable (a data centre's load drives its energy more than the clock);
//  - dc_lift: intercept + IT energy + IT energy × temperature lift above a balance point (the
//    economiser threshold), Σₕ ITₕ·max(0, Tₕ − T_bp), fixed or searched like ols_it_cdd — a chiller's
//    compressor power follows the heat to remove times the lift (lib/mv/dc-lift below);
//  - auto: every applicable model, the one with the lowest blocked cross-validation error wins
//    (lib/mv/select.ts).
import { MvError } from "./errors";
import { coolingDegrees, meanTempC, type Granularity, type Interval } from "./intervals";
import { designOf, fitOls, predict, type Design, type OlsFit } from "./ols";

export type ModelKind = "mean" | "ols_it" | "ols_it_cdd" | "towt" | "dc_lift" | "auto";

export type ModelSpec = {
  kind: ModelKind;
  /** ols_it_cdd: a fixed balance point, or null to search the grid. */
  balancePointC?: number | null;
  balancePointGridC?: { fromC: number; toC: number; stepC: number };
  /** towt: temperature knots (°C) and whether IT energy is a variable too. */
  towtKnotsC?: number[];
  towtIncludeIt?: boolean;
  /** ols_it_cdd, daily data: degree-days from the daily mean or from hourly exceedances (spec.conventions). */
  degreeDays?: "daily_mean" | "hourly";
};

export const DEFAULT_GRID = { fromC: 10, toC: 26, stepC: 1 } as const;
/** LBNL's knots, 40/55/65/80/90 °F, in °C. */
export const DEFAULT_TOWT_KNOTS_C = [4.4, 12.8, 18.3, 26.7, 32.2];
/** A time-of-week hour is "occupied" when the temperature-only fit under-predicts it more than this often (LBNL). */
const OCCUPIED_SHARE = 0.65;

export type BalancePointCandidate = {
  balancePointC: number;
  adjR2: number | null;
  coolingSlope: number | null;
  qualifies: boolean;
};

export type FittedModel = {
  kind: ModelKind;
  fit: OlsFit;
  /** ols_it_cdd: the balance point used, and every candidate of the search. */
  balancePointC: number | null;
  balancePointSearch: BalancePointCandidate[];
  /** towt: knots used and the occupied hours of the week (0 = Sunday 00:00 UTC). */
  knotsC: number[];
  occupiedHoursOfWeek: number[];
  notes: string[];
  predict(intervals: Interval[]): Float64Array;
};

function requireIt(intervals: Interval[], what: string): number[] {
  return intervals.map((iv) => {
    if (iv.itKwh === null)
      throw new MvError(
        "missing_variable",
        `IT energy is missing at ${new Date(iv.startMs).toISOString()} (${what}): the model needs it in every interval.`,
      );
    return iv.itKwh;
  });
}

function requireTemp(iv: Interval, what: string): number {
  const t = meanTempC(iv);
  if (t === null)
    throw new MvError(
      "missing_variable",
      `Outdoor temperature is missing at ${new Date(iv.startMs).toISOString()} (${what}): the model needs it in every interval.`,
    );
  return t;
}

function requireTemps(iv: Interval, what: string): void {
  if (iv.hourlyTempsC.length === 0) requireTemp(iv, what);
}

type Builder = (intervals: Interval[], what: string) => Design;

function fitWith(kind: ModelKind, build: Builder, baseline: Interval[], extra: Partial<FittedModel> = {}): FittedModel {
  const design = build(baseline, "baseline");
  const fit = fitOls(
    design,
    baseline.map((iv) => iv.energyKwh),
  );
  return {
    kind,
    fit,
    balancePointC: null,
    balancePointSearch: [],
    knotsC: [],
    occupiedHoursOfWeek: [],
    notes: [],
    ...extra,
    predict: (intervals) => predict(fit, build(intervals, "reporting")),
  };
}

function meanModel(baseline: Interval[]): FittedModel {
  return fitWith(
    "mean",
    (ivs) =>
      designOf(
        ["intercept"],
        ivs.map(() => [1]),
      ),
    baseline,
  );
}

function itModel(baseline: Interval[]): FittedModel {
  return fitWith(
    "ols_it",
    (ivs, what) =>
      designOf(
        ["intercept", "it_kwh"],
        requireIt(ivs, what).map((it) => [1, it]),
      ),
    baseline,
  );
}

function cddBuilder(bp: number, granularity: Granularity, degreeDays?: ModelSpec["degreeDays"]): Builder {
  const name = granularity === "hourly" ? `cdh_${bp}` : `cdd_${bp}`;
  return (ivs, what) => {
    const it = requireIt(ivs, what);
    return designOf(
      ["intercept", "it_kwh", name],
      ivs.map((iv, i) => {
        requireTemps(iv, what);
        return [1, it[i]!, coolingDegrees(iv, bp, granularity, degreeDays)];
      }),
    );
  };
}

function cddModel(baseline: Interval[], spec: ModelSpec, granularity: Granularity): FittedModel {
  if (spec.balancePointC !== undefined && spec.balancePointC !== null) {
    return fitWith("ols_it_cdd", cddBuilder(spec.balancePointC, granularity, spec.degreeDays), baseline, {
      balancePointC: spec.balancePointC,
    });
  }
  const grid = spec.balancePointGridC ?? DEFAULT_GRID;
  const candidates: BalancePointCandidate[] = [];
  let best: { bp: number; model: FittedModel } | null = null;
  const steps = Math.round((grid.toC - grid.fromC) / grid.stepC);
  for (let k = 0; k <= steps; k++) {
    const bp = Math.round((grid.fromC + k * grid.stepC) * 1000) / 1000;
    try {
      const model = fitWith("ols_it_cdd", cddBuilder(bp, granularity, spec.degreeDays), baseline, {
        balancePointC: bp,
      });
      const slope = model.fit.coefficients[2]!;
      // A candidate qualifies only with a positive slope significant at p < 0.1 (CalTRACK 1.0's screen;
      // CalTRACK 2.0 dropped the p-value test — kept here as the more conservative choice).
      const qualifies = slope.estimate > 0 && slope.pValue < 0.1;
      candidates.push({ balancePointC: bp, adjR2: model.fit.adjR2, coolingSlope: slope.estimate, qualifies });
      if (qualifies && (!best || model.fit.adjR2 > best.model.fit.adjR2)) best = { bp, model };
    } catch (error) {
      if (!(error instanceof MvError) || (error.code !== "zero_variance" && error.code !== "collinear")) throw error;
      candidates.push({ balancePointC: bp, adjR2: null, coolingSlope: null, qualifies: false });
    }
  }
  if (!best) {
    const fallback = itModel(baseline);
    return {
      ...fallback,
      balancePointSearch: candidates,
      notes: [
        `No balance point between ${grid.fromC} and ${grid.toC} °C gave a positive cooling slope significant at p < 0.1; the model fell back to IT energy only.`,
      ],
    };
  }
  return { ...best.model, balancePointSearch: candidates };
}

/** Hour of the week, 0 = Sunday 00:00 UTC. */
function hourOfWeek(startMs: number): number {
  const d = new Date(startMs);
  return d.getUTCDay() * 24 + d.getUTCHours();
}

/** LBNL segments: min(T, k₁), then the part of T within each [kᵢ₋₁, kᵢ], then max(0, T − k_K). */
function segments(t: number, knots: number[]): number[] {
  if (knots.length === 0) return [t];
  const out = [Math.min(t, knots[0]!)];
  for (let i = 1; i < knots.length; i++) out.push(Math.max(0, Math.min(t, knots[i]!) - knots[i - 1]!));
  out.push(Math.max(0, t - knots[knots.length - 1]!));
  return out;
}

function towtModel(baseline: Interval[], spec: ModelSpec, granularity: Granularity): FittedModel {
  if (granularity !== "hourly")
    throw new MvError("unsupported", "The TOWT model needs hourly data: choose hourly granularity or another model.");
  const temps = baseline.map((iv) => requireTemp(iv, "baseline"));
  const includeIt = spec.towtIncludeIt ?? true;
  const allKnots = [...(spec.towtKnotsC ?? DEFAULT_TOWT_KNOTS_C)].sort((a, b) => a - b);

  // Occupancy: fit energy on temperature alone; an hour of the week is occupied when that fit
  // under-predicts it in more than 65 % of its baseline hours.
  const simple = fitOls(
    designOf(
      ["intercept", "temp_c"],
      temps.map((t) => [1, t]),
    ),
    baseline.map((iv) => iv.energyKwh),
  );
  const positive = new Array<number>(168).fill(0);
  const count = new Array<number>(168).fill(0);
  baseline.forEach((iv, i) => {
    const h = hourOfWeek(iv.startMs);
    count[h]!++;
    if (simple.residuals[i]! > 0) positive[h]!++;
  });
  const missing = count.flatMap((c, h) => (c === 0 ? [h] : []));
  if (missing.length > 0) {
    throw new MvError(
      "too_few_points",
      `The baseline has no data for ${missing.length} hour${missing.length === 1 ? "" : "s"} of the week (first: ${describeHourOfWeek(missing[0]!)}): TOWT needs every hour of the week at least once.`,
    );
  }
  const occupiedOf = count.map((c, h) => positive[h]! / c > OCCUPIED_SHARE);
  const occupiedHours = occupiedOf.flatMap((o, h) => (o ? [h] : []));
  const split = occupiedHours.length > 0 && occupiedHours.length < 168;

  // Each set of slopes (occupied, unoccupied, or one for all) keeps only the knots strictly inside
  // the temperatures it saw: a segment without data cannot be fitted (LBNL fits the two apart).
  const groups = split ? [true, false] : [null];
  const knotsOf = groups.map((g) => {
    const ts = temps.filter((_, i) => g === null || occupiedOf[hourOfWeek(baseline[i]!.startMs)] === g);
    const lo = Math.min(...ts);
    const hi = Math.max(...ts);
    return allKnots.filter((k) => k > lo && k < hi);
  });
  const names = ["intercept", ...Array.from({ length: 167 }, (_, h) => `tow_${h + 1}`)];
  const offsets: number[] = [];
  groups.forEach((g, gi) => {
    offsets.push(names.length);
    const suffix = g === null ? "" : g ? "_occ" : "_unocc";
    for (let s = 0; s <= knotsOf[gi]!.length; s++) names.push(`temp_seg${s + 1}${suffix}`);
  });
  if (includeIt) names.push("it_kwh");

  const build: Builder = (ivs, what) => {
    const it = includeIt ? requireIt(ivs, what) : [];
    return designOf(
      names,
      ivs.map((iv, i) => {
        const row = new Array<number>(names.length).fill(0);
        row[0] = 1;
        const h = hourOfWeek(iv.startMs);
        if (h > 0) row[h] = 1;
        const gi = split && !occupiedOf[h] ? 1 : 0;
        segments(requireTemp(iv, what), knotsOf[gi]!).forEach((v, j) => (row[offsets[gi]! + j] = v));
        if (includeIt) row[names.length - 1] = it[i]!;
        return row;
      }),
    );
  };
  const notes = [
    `Occupied hours of the week: ${occupiedHours.length} of 168${split ? "" : " (one set of temperature slopes)"}.`,
  ];
  const knotsC = [...new Set(knotsOf.flat())].sort((a, b) => a - b);
  return fitWith("towt", build, baseline, { knotsC, occupiedHoursOfWeek: occupiedHours, notes });
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
function describeHourOfWeek(h: number): string {
  return `${DAYS[Math.floor(h / 24)]} ${String(h % 24).padStart(2, "0")}:00 UTC`;
}

export function fitModel(spec: ModelSpec, baseline: Interval[], granularity: Granularity): FittedModel {
  if (baseline.length === 0)
    throw new MvError("no_data", "The baseline period has no complete intervals in the study's scope.");
  switch (spec.kind) {
    case "mean":
      return meanModel(baseline);
    case "ols_it":
      return itModel(baseline);
    case "ols_it_cdd":
      return cddModel(baseline, spec, granularity);
    case "towt":
      return towtModel(baseline, spec, granularity);
    case "dc_lift":
      return liftModel(baseline, spec, granularity);
    case "auto":
      throw new Error("auto is resolved by selectModel (lib/mv/select.ts), not fitModel");
  }
}

// ---------------------------------------------------------------------------------------------
// dc_lift: IT energy and IT energy × temperature lift.

/**
 * Σₕ ITₕ · max(0, Tₕ − T_bp) over the interval's hours, kWh·°C: the heat to remove times the lift
 * above the balance point. Hourly: IT · max(0, T − T_bp). Daily: per hour with the day's hourly IT
 * energy (`hourlyItKwh`); without it, the day's IT spread evenly over its hours.
 */
export function itLift(interval: Interval, balancePointC: number): number {
  const temps = interval.hourlyTempsC;
  const hourlyIt = interval.hourlyItKwh;
  const even = (interval.itKwh ?? 0) / Math.max(1, temps.length);
  const perHour = hourlyIt && hourlyIt.length === temps.length;
  let s = 0;
  for (let h = 0; h < temps.length; h++) {
    const t = temps[h]!;
    if (t > balancePointC) s += (perHour ? hourlyIt[h]! : even) * (t - balancePointC);
  }
  if (!perHour) return s;
  // A day built from k < 24 hours has its energies scaled to 24 h (load-intervals.ts): scale the
  // lift the same way, by the day's IT over its hours' sum (exactly 1 for a whole day).
  let hoursIt = 0;
  for (const v of hourlyIt) hoursIt += v;
  return interval.itKwh !== null && hoursIt > 0 && interval.itKwh !== hoursIt ? (s * interval.itKwh) / hoursIt : s;
}

function liftBuilder(bp: number): Builder {
  const name = `it_lift_${bp}`;
  return (ivs, what) => {
    const it = requireIt(ivs, what);
    return designOf(
      ["intercept", "it_kwh", name],
      ivs.map((iv, i) => {
        requireTemps(iv, what);
        return [1, it[i]!, itLift(iv, bp)];
      }),
    );
  };
}

function liftModel(baseline: Interval[], spec: ModelSpec, granularity: Granularity): FittedModel {
  void granularity;
  if (spec.balancePointC !== undefined && spec.balancePointC !== null) {
    return fitWith("dc_lift", liftBuilder(spec.balancePointC), baseline, { balancePointC: spec.balancePointC });
  }
  const grid = spec.balancePointGridC ?? DEFAULT_GRID;
  const candidates: BalancePointCandidate[] = [];
  let best: FittedModel | null = null;
  const steps = Math.round((grid.toC - grid.fromC) / grid.stepC);
  for (let k = 0; k <= steps; k++) {
    const bp = Math.round((grid.fromC + k * grid.stepC) * 1000) / 1000;
    try {
      const model = fitWith("dc_lift", liftBuilder(bp), baseline, { balancePointC: bp });
      const slope = model.fit.coefficients[2]!;
      // The same screen as ols_it_cdd: a positive lift slope, significant at p < 0.1.
      const qualifies = slope.estimate > 0 && slope.pValue < 0.1;
      candidates.push({ balancePointC: bp, adjR2: model.fit.adjR2, coolingSlope: slope.estimate, qualifies });
      if (qualifies && (!best || model.fit.adjR2 > best.fit.adjR2)) best = model;
    } catch (error) {
      if (
        !(error instanceof MvError) ||
        (error.code !== "zero_variance" && error.code !== "collinear" && error.code !== "too_few_points")
      )
        throw error;
      candidates.push({ balancePointC: bp, adjR2: null, coolingSlope: null, qualifies: false });
    }
  }
  if (!best) {
    const fallback = itModel(baseline);
    return {
      ...fallback,
      balancePointSearch: candidates,
      notes: [
        `No balance point between ${grid.fromC} and ${grid.toC} °C gave a positive IT × lift slope significant at p < 0.1; the model fell back to IT energy only.`,
      ],
    };
  }
  return { ...best, balancePointSearch: candidates };
}
