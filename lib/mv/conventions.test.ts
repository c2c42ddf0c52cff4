// The selectable conventions (spec.conventions, docs/MV-METHOD.md §15), each against hand-computed
// values: degree-days from the daily mean or from hourly exceedances, lag-1 autocorrelation over
// consecutive intervals or adjacent rows, the t quantile's degrees of freedom, the plain and the
// autocorrelation-corrected uncertainty, and price/carbon weighted by boundary or facility energy.
import { describe, expect, it } from "vitest";
import { computeStudy } from "./compute";
import { lag1Autocorrelation, plainSavingsUncertainty, savingsUncertainty, tValue } from "./g14";
import { coolingDegrees, HOUR_MS, type Interval } from "./intervals";
import { toDays } from "./load-intervals";
import { DEFAULT_CONVENTIONS, LEGACY_CONVENTIONS, StudySpecSchema, type StudySpecInput } from "./spec";
import { newStudyDefaults, specDefaults, studySpecFromForm } from "./study-form";
import { withConventions } from "./studies";

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const close = (actual: number | null | undefined, expected: number, tol = 1e-9) => {
  expect(typeof actual).toBe("number");
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
};

const day = (temps: number[], extra: Partial<Interval> = {}): Interval => ({
  startMs: T0,
  energyKwh: 1,
  itKwh: 1,
  facilityKwh: 1,
  hourlyTempsC: temps,
  pricePerKwh: null,
  carbonGPerKwh: null,
  ...extra,
});

describe("degree-days", () => {
  // 12 hours at 12 °C and 12 at 24 °C: a daily mean of 18 °C.
  const iv = day([...Array<number>(12).fill(12), ...Array<number>(12).fill(24)]);

  it("daily mean: max(0, T̄ − T_bp) (CalTRACK)", () => {
    expect(coolingDegrees(iv, 18, "daily", "daily_mean")).toBe(0);
    expect(coolingDegrees(iv, 15, "daily", "daily_mean")).toBe(3);
    expect(coolingDegrees(iv, 20, "daily", "daily_mean")).toBe(0);
  });

  it("hourly: Σₕ max(0, Tₕ − T_bp) / 24", () => {
    expect(coolingDegrees(iv, 18, "daily", "hourly")).toBe((12 * 6) / 24);
    expect(coolingDegrees(iv, 15, "daily", "hourly")).toBe((12 * 9) / 24);
    expect(coolingDegrees(iv, 20, "daily", "hourly")).toBe((12 * 4) / 24);
  });

  it("are the same for hourly data", () => {
    const hour = day([21.5]);
    expect(coolingDegrees(hour, 18, "hourly", "daily_mean")).toBe(3.5);
    expect(coolingDegrees(hour, 18, "hourly", "hourly")).toBe(3.5);
  });
});

describe("lag-1 autocorrelation", () => {
  // Residuals 2, 1, −1, −2, 1 at hours 0, 1, 2, 4, 5: hour 3 is missing.
  const e = [2, 1, -1, -2, 1];
  const starts = [0, 1, 2, 4, 5].map((h) => T0 + h * HOUR_MS);
  // Σe² = 4 + 1 + 1 + 4 + 1 = 11.
  it("adjacent rows: every neighbouring pair, the gap ignored", () => {
    // 2·1 + 1·(−1) + (−1)·(−2) + (−2)·1 = 1
    close(lag1Autocorrelation(e), 1 / 11, 1e-15);
  });

  it("consecutive: the pair across the gap does not count", () => {
    // 2·1 + 1·(−1) + (−2)·1 = −1
    close(lag1Autocorrelation(e, { startsMs: starts, stepMs: HOUR_MS }), -1 / 11, 1e-15);
  });

  it("agree when nothing is missing", () => {
    const full = [0, 1, 2, 3, 4].map((h) => T0 + h * HOUR_MS);
    expect(lag1Autocorrelation(e, { startsMs: full, stepMs: HOUR_MS })).toBe(lag1Autocorrelation(e));
  });
});

describe("savings uncertainty", () => {
  // n = 90, n′ = 30, p = 3, m = 30, CV 10 %, ȳ = 100 kWh.
  const opts = { confidence: 0.9, cv: 0.1, meanY: 100, n: 90, nEffective: 30, p: 3, m: 30, savingsKwh: 300 };
  // Two-sided 90 % Student t quantiles, scipy.stats.t.ppf(0.95, df) (scipy 1.10.1):
  const T_27 = 1.7032884457221265;
  const T_87 = 1.6625573493735006;

  it("t at n′ − p or n − p degrees of freedom", () => {
    const corrected = savingsUncertainty(opts);
    expect(corrected.df).toBe(27);
    close(corrected.t, T_27);
    close(corrected.absoluteKwh, T_27 * 1.26 * 0.1 * 100 * Math.sqrt(3 * (1 + 2 / 30) * 30));
    const nMinusP = savingsUncertainty({ ...opts, df: "n_minus_p" });
    expect(nMinusP.df).toBe(87);
    close(nMinusP.t, T_87);
    close(nMinusP.absoluteKwh, T_87 * 1.26 * 0.1 * 100 * Math.sqrt(3 * (1 + 2 / 30) * 30));
    close(tValue(0.9, 27), T_27);
  });

  it("plain: n for n′ and t at n − p", () => {
    const plain = plainSavingsUncertainty({
      confidence: 0.9,
      cv: 0.1,
      meanY: 100,
      n: 90,
      p: 3,
      m: 30,
      savingsKwh: 300,
    });
    expect(plain.df).toBe(87);
    close(plain.absoluteKwh, T_87 * 1.26 * 0.1 * 100 * Math.sqrt((1 + 2 / 90) * 30));
    close(plain.fractional!, plain.absoluteKwh / 300);
  });

  it("plain and corrected agree when there is no positive autocorrelation (n′ = n)", () => {
    const a = plainSavingsUncertainty({ ...opts, n: 90 });
    const b = savingsUncertainty({ ...opts, nEffective: 90 });
    expect(b).toEqual(a);
  });
});

describe("price and carbon weighting of a day", () => {
  // Hours 0–11: boundary 1 kWh, facility 10 kWh, 0.1/kWh, 100 g; hours 12–23: 3 kWh, 10 kWh, 0.3/kWh, 300 g.
  const hours: Interval[] = Array.from({ length: 24 }, (_, h) => ({
    startMs: T0 + h * HOUR_MS,
    energyKwh: h < 12 ? 1 : 3,
    itKwh: 5,
    facilityKwh: 10,
    hourlyTempsC: [20],
    pricePerKwh: h < 12 ? 0.1 : 0.3,
    carbonGPerKwh: h < 12 ? 100 : 300,
  }));

  it("by facility energy: (12·10·0.1 + 12·10·0.3) / 240", () => {
    const [d] = toDays(hours, false);
    close(d!.pricePerKwh, 0.2, 1e-15);
    close(d!.carbonGPerKwh, 200, 1e-15);
  });

  it("by boundary energy: (12·1·0.1 + 12·3·0.3) / 48", () => {
    const [d] = toDays(hours, true);
    close(d!.pricePerKwh, 0.25, 1e-15);
    close(d!.carbonGPerKwh, 250, 1e-15);
  });

  it("a day without boundary energy takes the plain mean (not the facility weighting)", () => {
    // Facility 30 kWh in the cheap hours: facility weighting would give (12·30·0.1 + 12·10·0.3) / 480 = 0.15.
    const idle = hours.map((h, k) => ({ ...h, energyKwh: 0, facilityKwh: k < 12 ? 30 : 10 }));
    close(toDays(idle, false)[0]!.pricePerKwh, 0.15, 1e-15);
    close(toDays(idle, true)[0]!.pricePerKwh, 0.2, 1e-15);
  });
});

/** Daily intervals: energy = 50 + 0.2·IT + 8·CDD(12 °C) + AR(1)-ish noise. */
function days(n: number): Interval[] {
  let s = 11;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  let carry = 0;
  return Array.from({ length: n }, (_, d) => {
    const temps = Array.from(
      { length: 24 },
      (_, h) => 8 + d * 0.15 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + rand(),
    );
    const cdd = temps.reduce((a, t) => a + Math.max(0, t - 12), 0) / 24;
    const it = 1000 + 80 * Math.sin(d / 3) + 10 * rand();
    carry = 0.7 * carry + 3 * rand();
    return {
      startMs: T0 + d * DAY,
      energyKwh: 50 + 0.2 * it + 8 * cdd + carry,
      itKwh: it,
      facilityKwh: it * 1.4,
      hourlyTempsC: temps,
      pricePerKwh: 0.1,
      carbonGPerKwh: 250,
    };
  });
}

const base: StudySpecInput = {
  boundary: "cooling",
  source: { massUntil: "2030-01-01T00:00:00Z" },
  baseline: { from: "2026-03-01T00:00:00Z", to: "2026-04-30T00:00:00Z" },
  reporting: { from: "2026-04-30T00:00:00Z", to: "2026-05-30T00:00:00Z" },
  granularity: "daily",
  model: { kind: "ols_it_cdd", balancePointC: 12 },
};
const data = days(90);
const run = (spec: StudySpecInput, d = data) =>
  computeStudy(StudySpecSchema.parse(spec), { baseline: d.slice(0, 60), reporting: d.slice(60), currency: "USD" });

describe("computeStudy with conventions", () => {
  it("states the conventions it used: a specification without the block keeps the legacy ones", () => {
    expect(run(base).conventions).toEqual(LEGACY_CONVENTIONS);
    expect(run({ ...base, conventions: {} }).conventions).toEqual(DEFAULT_CONVENTIONS);
    expect(DEFAULT_CONVENTIONS).toEqual({
      degreeDays: "hourly",
      autocorrelation: "consecutive",
      uncertaintyDf: "n_effective_minus_p",
      priceWeighting: "boundary_energy",
    });
    expect(run({ ...base, conventions: { degreeDays: "daily_mean" } }).conventions).toEqual({
      ...DEFAULT_CONVENTIONS,
      degreeDays: "daily_mean",
    });
  });

  it("a stored specification gets its conventions written in: defaults for a new study, the previous revision's for a revision", () => {
    const spec = StudySpecSchema.parse(base);
    expect(withConventions(spec).conventions).toEqual(DEFAULT_CONVENTIONS);
    expect(withConventions(spec, { ...base }).conventions).toEqual(LEGACY_CONVENTIONS);
    expect(withConventions(spec, { ...base, conventions: { degreeDays: "daily_mean" } }).conventions).toEqual({
      ...DEFAULT_CONVENTIONS,
      degreeDays: "daily_mean",
    });
    const explicit = StudySpecSchema.parse({ ...base, conventions: { autocorrelation: "adjacent_rows" } });
    expect(withConventions(explicit, { ...base }).conventions).toEqual({
      ...DEFAULT_CONVENTIONS,
      autocorrelation: "adjacent_rows",
    });
  });

  it("fits the degree-day column the convention names", () => {
    const hourly = run({ ...base, conventions: { degreeDays: "hourly" } });
    const mean = run({ ...base, conventions: { degreeDays: "daily_mean" } });
    expect(hourly.model.coefficients[2]!.estimate).not.toBeCloseTo(mean.model.coefficients[2]!.estimate, 3);
    // The legacy specification (no block) fits hourly exceedances.
    expect(run(base).model.coefficients).toEqual(hourly.model.coefficients);
  });

  it("breaks the autocorrelation chain at an excluded day only with 'consecutive'", () => {
    const exclusions = [{ from: "2026-03-20T00:00:00Z", to: "2026-03-25T00:00:00Z", reason: "maintenance" }];
    const spec = (autocorrelation: "consecutive" | "adjacent_rows") => ({
      ...base,
      assumptions: { exclusions },
      conventions: { autocorrelation },
    });
    const consecutive = run(spec("consecutive"));
    const adjacent = run(spec("adjacent_rows"));
    const t = consecutive.baselineSeries.t.map((x) => Date.parse(x));
    const e = consecutive.baselineSeries.actualKwh.map((y, i) => y - consecutive.baselineSeries.fittedKwh[i]!);
    let num = 0;
    let numAll = 0;
    let den = 0;
    e.forEach((x, i) => {
      den += x * x;
      if (i === 0) return;
      numAll += x * e[i - 1]!;
      if (t[i]! - t[i - 1]! === DAY) num += x * e[i - 1]!;
    });
    expect(e).toHaveLength(55);
    close(consecutive.fit.autocorrelation, num / den);
    close(adjacent.fit.autocorrelation, numAll / den);
    expect(consecutive.fit.autocorrelation).not.toBe(adjacent.fit.autocorrelation);
  });

  it("reports the plain and the corrected uncertainty at 68 % and 90 %", () => {
    // The data's own degree-days (hourly exceedances): a good fit whose residuals carry the AR(1) noise.
    const r = run({ ...base, conventions: { degreeDays: "hourly" } });
    const { n, p, cvRmse, meanKwh, nEffective, autocorrelation } = r.fit;
    const m = r.savings.intervals;
    expect(autocorrelation).toBeGreaterThan(0);
    for (const [c, plain, corrected] of [
      [0.68, r.savings.uncertainty68Plain, r.savings.uncertainty68],
      [0.9, r.savings.uncertainty90Plain, r.savings.uncertainty90],
    ] as const) {
      close(plain.absoluteKwh, tValue(c, n - p) * 1.26 * cvRmse * meanKwh * Math.sqrt((1 + 2 / n) * m));
      close(
        corrected.absoluteKwh,
        tValue(c, nEffective - p) * 1.26 * cvRmse * meanKwh * Math.sqrt((n / nEffective) * (1 + 2 / nEffective) * m),
      );
      expect(corrected.absoluteKwh).toBeGreaterThan(plain.absoluteKwh);
    }
    expect(nEffective - p).toBeGreaterThan(1);
    const df = run({ ...base, conventions: { degreeDays: "hourly", uncertaintyDf: "n_minus_p" } });
    expect(df.savings.uncertainty90.df).toBe(n - p);
    close(df.savings.uncertainty90.t, tValue(0.9, n - p));
    expect(df.savings.uncertainty90Plain).toEqual(r.savings.uncertainty90Plain);
  });

  it("plain equals corrected when ρ ≤ 0", () => {
    // Mean model on energies alternating around 100 kWh: residuals alternate in sign, ρ < 0, n′ = n.
    const alternating = data.map((iv, d) => ({ ...iv, energyKwh: 100 + (d % 2 === 0 ? 5 : -5) + (d % 7) * 0.1 }));
    const r = run({ ...base, model: { kind: "mean" }, conventions: {} }, alternating);
    expect(r.fit.autocorrelation).toBeLessThanOrEqual(0);
    expect(r.fit.nEffective).toBe(r.fit.n);
    expect(r.savings.uncertainty68Plain).toEqual(r.savings.uncertainty68);
    expect(r.savings.uncertainty90Plain).toEqual(r.savings.uncertainty90);
  });
});

describe("the study form's Advanced section", () => {
  it("preselects the defaults for a new study and a revision's own (or the legacy) conventions", () => {
    expect(newStudyDefaults({ tenantId: "t", versionIds: [], dataEndMs: T0 }).conventions).toEqual(DEFAULT_CONVENTIONS);
    expect(specDefaults("s", "t", StudySpecSchema.parse(base)).conventions).toEqual(LEGACY_CONVENTIONS);
    const own = StudySpecSchema.parse({ ...base, conventions: { uncertaintyDf: "n_minus_p" } });
    expect(specDefaults("s", "t", own).conventions).toEqual({ ...DEFAULT_CONVENTIONS, uncertaintyDf: "n_minus_p" });
  });

  it("sends the chosen conventions, or no block when the section is absent", () => {
    const form = new FormData();
    form.set("conv_degree_days", "hourly");
    form.set("conv_autocorrelation", "adjacent_rows");
    form.set("conv_uncertainty_df", "n_minus_p");
    form.set("conv_price_weighting", "facility_energy");
    expect(studySpecFromForm(form).conventions).toEqual({
      degreeDays: "hourly",
      autocorrelation: "adjacent_rows",
      uncertaintyDf: "n_minus_p",
      priceWeighting: "facility_energy",
    });
    expect(studySpecFromForm(new FormData()).conventions).toBeUndefined();
  });
});
