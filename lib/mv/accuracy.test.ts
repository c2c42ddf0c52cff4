// Accuracy against an independent reference: every statistic of every model agrees with
// statsmodels (scripts/mv-fixtures/reference.py, output in lib/mv/fixtures/reference.json) to a
// relative error of 1e-6, on the demo's mad1 cooling-boundary intervals (lib/mv/fixtures/*.csv,
// from scripts/mv-fixtures/export-intervals.ts). scripts/mv-fixtures/README.md says how the
// fixtures are made; docs/MV-METHOD.md gives the formulas.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { computeStudy, type StudyResults } from "./compute";
import { lag1Autocorrelation, tValue } from "./g14";
import type { Interval } from "./intervals";
import { fitModel } from "./models";
import { LEGACY_CONVENTIONS, StudySpecSchema, type StudySpec, type StudySpecInput } from "./spec";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const REL = 1e-6;
/**
 * Relative error is measured against max(|expected|, floor). The floor only matters for values that
 * are zero in exact arithmetic, where a relative error means nothing:
 *  - R² of the intercept-only model (0 by construction; rounding leaves ~1e-16): floor 1e-6, i.e.
 *    an absolute 1e-12;
 *  - NMBE of any OLS fit with an intercept (Σ residuals = 0 by the normal equations; both sides print
 *    rounding noise of 1e-15…1e-12): floor 1e-3, i.e. an absolute 1e-9 — eight orders of magnitude
 *    below the default NMBE limit (10 %).
 * Everything else is compared with a floor of TINY: a plain relative error.
 */
const TINY = 1e-300;
/**
 * p-values: a relative error of 1e-6, or an absolute one of 1e-9, whichever is looser. Far in the
 * tail p is hypersensitive to t (d ln p / d ln t ≈ t², so a 1e-14 relative difference in a t of 80
 * moves p by ~1e-10 relative), statsmodels/scipy and @stdlib evaluate the incomplete beta function
 * with different algorithms, neither of which documents its relative accuracy there (on these
 * fixtures they agree to ~1e-8 anyway), and below ~1e-308 both underflow to 0. A p-value's only
 * use is the comparison with 0.1 in the balance-point search, for which 1e-9 is exact enough.
 */
const P_ABS = 1e-9;

type RefCoefficient = { name: string; estimate: number; std_error: number; t: number; p_value: number };
type RefUncertainty = { confidence: number; df: number; t: number; absolute_kwh: number; fractional: number | null };
type RefCandidate = {
  balance_point_c: number;
  adj_r2: number | null;
  cooling_slope: number | null;
  cooling_p_value: number | null;
  qualifies: boolean;
};
type RefCase = {
  case: string;
  model: "mean" | "ols_it" | "ols_it_cdd" | "towt";
  granularity: "hourly" | "daily";
  balance_point_c?: number | null;
  balance_point_search?: RefCandidate[];
  /** ols_it_cdd: how daily degree-days were built (absent: "hourly"). */
  degree_days?: "hourly" | "daily_mean";
  include_it?: boolean;
  occupied_hours_of_week?: number[];
  knots_c?: Record<string, number[]>;
  n: number;
  p: number;
  coefficients: RefCoefficient[];
  r2: number;
  adj_r2: number;
  sse: number;
  mean_kwh: number;
  rmse_kwh: number;
  cv_rmse: number;
  nmbe: number;
  autocorrelation: number;
  n_effective: number;
  reporting: {
    m: number;
    actual_kwh: number;
    adjusted_baseline_kwh: number;
    savings_kwh: number;
    predictions_kwh: number[];
    uncertainty68: RefUncertainty;
    uncertainty90: RefUncertainty;
    uncertainty68_plain: RefUncertainty;
    uncertainty90_plain: RefUncertainty;
    uncertainty90_n_minus_p: RefUncertainty;
    cumulative_u90_last_kwh: number;
    avoided_cost: number;
    avoided_co2e_kg: number;
  };
  pue: { baseline: number; reporting: number };
};
type Reference = {
  inputs: Record<"hourly.csv" | "daily.csv", { sha256: string; rows: number; baseline: number; reporting: number }>;
  periods: { baseline: { from: string; to: string }; reporting: { from: string; to: string } };
  versions: Record<string, string>;
  cases: Record<string, RefCase>;
};

const read = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");
const reference = JSON.parse(read("reference.json")) as Reference;

/** A fixture CSV as intervals, split into baseline and reporting by its `period` column. */
function intervalsOf(name: "hourly.csv" | "daily.csv"): { text: string; baseline: Interval[]; reporting: Interval[] } {
  const text = read(name);
  const [header, ...lines] = text.trimEnd().split("\n");
  const cols = header!.split(",");
  const at = (c: string) => cols.indexOf(c);
  const tempCols = cols.flatMap((c, i) => (c.startsWith("temp_") ? [i] : []));
  const out = { text, baseline: [] as Interval[], reporting: [] as Interval[] };
  for (const line of lines) {
    const f = line.split(",");
    const num = (c: string) => Number(f[at(c)]);
    const iv: Interval = {
      startMs: Date.parse(f[at("start")]!),
      energyKwh: num("energy_kwh"),
      itKwh: num("it_kwh"),
      facilityKwh: num("facility_kwh"),
      hourlyTempsC: tempCols.map((i) => Number(f[i])),
      pricePerKwh: num("price"),
      carbonGPerKwh: num("carbon"),
    };
    (f[at("period")] === "baseline" ? out.baseline : out.reporting).push(iv);
  }
  return out;
}

const data = { hourly: intervalsOf("hourly.csv"), daily: intervalsOf("daily.csv") };

/**
 * The conventions the reference was built with, pinned explicitly (not left to the defaults): degree-days
 * per case, t at n′ − p, and the fixtures' price and carbon, which the exporter weights by facility
 * energy. The fixtures have no gaps, so "consecutive" and "adjacent_rows" give the same ρ; the
 * reference's formula is the adjacent-rows one.
 */
function conventionsOf(
  c: RefCase,
  uncertaintyDf: "n_effective_minus_p" | "n_minus_p" = "n_effective_minus_p",
): StudySpecInput["conventions"] {
  return {
    degreeDays: c.degree_days ?? "hourly",
    autocorrelation: "adjacent_rows",
    uncertaintyDf,
    priceWeighting: "facility_energy",
  };
}

function specOf(c: RefCase, uncertaintyDf?: "n_effective_minus_p" | "n_minus_p"): StudySpec {
  const model: StudySpecInput["model"] =
    c.model === "towt"
      ? { kind: "towt", towtIncludeIt: c.include_it }
      : c.case.includes("_grid_")
        ? { kind: "ols_it_cdd", balancePointC: null }
        : c.model === "ols_it_cdd"
          ? { kind: "ols_it_cdd", balancePointC: c.balance_point_c! }
          : { kind: c.model };
  return StudySpecSchema.parse({
    scope: { siteId: "mad1" },
    boundary: "cooling",
    source: { massUntil: "2030-01-01T00:00:00Z" },
    baseline: reference.periods.baseline,
    reporting: reference.periods.reporting,
    granularity: c.granularity,
    model,
    conventions: conventionsOf(c, uncertaintyDf),
  });
}

/** |actual − expected| ≤ 1e-6 · max(|expected|, floor); the largest error per case is kept for the summary. */
const worst = new Map<string, number>();
const worstWhat = new Map<string, string>();
function close(
  caseName: string,
  what: string,
  actual: number | null | undefined,
  expected: number | null,
  floor = TINY,
): void {
  if (expected === null) {
    expect(actual, `${caseName}: ${what}`).toBeNull();
    return;
  }
  expect(typeof actual, `${caseName}: ${what}`).toBe("number");
  const err = Math.abs(actual! - expected) / Math.max(Math.abs(expected), floor);
  if (err >= (worst.get(caseName) ?? 0)) worstWhat.set(caseName, what);
  worst.set(caseName, Math.max(worst.get(caseName) ?? 0, err));
  expect(err, `${caseName}: ${what} = ${actual}, reference ${expected}`).toBeLessThanOrEqual(REL);
}

function closeP(caseName: string, what: string, actual: number, expected: number): void {
  const err = Math.abs(actual - expected);
  expect(
    err <= P_ABS || err <= REL * Math.abs(expected),
    `${caseName}: ${what} = ${actual}, reference ${expected}`,
  ).toBe(true);
}

/** The reference's coefficient names, in the app's terms: the mapping is by meaning. */
function appName(c: RefCase, name: string): string {
  if (name === "const") return "intercept";
  if (name === "it") return "it_kwh";
  if (name === "cdd") return `${c.granularity === "hourly" ? "cdh" : "cdd"}_${c.balance_point_c}`;
  const tow = /^tow\[(\d+)\]$/.exec(name);
  if (tow) return `tow_${tow[1]}`;
  const seg = /^(occ|unocc|all)_seg(\d+)$/.exec(name);
  if (seg) return `temp_seg${seg[2]}${seg[1] === "all" ? "" : `_${seg[1]}`}`;
  throw new Error(`unmapped reference coefficient ${name}`);
}

describe("fixtures", () => {
  it("are the files the reference was computed from", () => {
    for (const name of ["hourly.csv", "daily.csv"] as const) {
      const sha = createHash("sha256")
        .update(data[name === "hourly.csv" ? "hourly" : "daily"].text)
        .digest("hex");
      expect(sha, `${name} changed since reference.json was made: rerun scripts/mv-fixtures/reference.py`).toBe(
        reference.inputs[name].sha256,
      );
    }
    expect(data.hourly.baseline).toHaveLength(reference.inputs["hourly.csv"].baseline);
    expect(data.hourly.reporting).toHaveLength(reference.inputs["hourly.csv"].reporting);
    expect(data.daily.baseline).toHaveLength(reference.inputs["daily.csv"].baseline);
    expect(data.daily.reporting).toHaveLength(reference.inputs["daily.csv"].reporting);
  });
});

describe.each(Object.values(reference.cases).map((c) => [c.case, c] as const))(
  "%s agrees with statsmodels to 1e-6",
  (name, ref) => {
    const { baseline, reporting } = data[ref.granularity];
    const spec = specOf(ref);
    let memo: StudyResults | undefined;
    const results = () => (memo ??= computeStudy(spec, { baseline, reporting, currency: "USD" }));

    it("model choice", () => {
      const r = results();
      expect(r.model.kind).toBe(ref.model);
      expect(r.model.balancePointC).toBe(ref.balance_point_c ?? null);
      if (ref.balance_point_search) {
        expect(r.model.balancePointSearch).toHaveLength(ref.balance_point_search.length);
        r.model.balancePointSearch.forEach((got, k) => {
          const want = ref.balance_point_search![k]!;
          expect(got.balancePointC).toBe(want.balance_point_c);
          expect(got.qualifies, `candidate ${want.balance_point_c} °C qualifies`).toBe(want.qualifies);
          close(name, `candidate ${want.balance_point_c} °C adjusted R²`, got.adjR2, want.adj_r2);
          close(name, `candidate ${want.balance_point_c} °C cooling slope`, got.coolingSlope, want.cooling_slope);
        });
      }
      if (ref.model === "towt") {
        const fitted = fitModel(spec.model, baseline, "hourly");
        expect(fitted.occupiedHoursOfWeek).toEqual(ref.occupied_hours_of_week);
        expect(fitted.knotsC).toEqual([...new Set(Object.values(ref.knots_c!).flat())].sort((a, b) => a - b));
        expect(r.model.occupiedHoursOfWeek).toBe(ref.occupied_hours_of_week!.length);
      }
    });

    it("a specification without conventions (a revision stored before them) computes the same", () => {
      if (ref.degree_days === "daily_mean") return;
      // The pinned conventions are the legacy ones, so the two must agree byte for byte.
      expect(spec.conventions).toEqual(LEGACY_CONVENTIONS);
      const r = computeStudy(StudySpecSchema.parse({ ...spec, conventions: undefined }), {
        baseline,
        reporting,
        currency: "USD",
      });
      expect(r.conventions).toEqual(LEGACY_CONVENTIONS);
      expect(canonicalJson(r)).toBe(canonicalJson(results()));
    });

    it("coefficients, standard errors, t and p", () => {
      const coefficients = results().model.coefficients;
      expect(coefficients.map((c) => c.name)).toEqual(ref.coefficients.map((c) => appName(ref, c.name)));
      coefficients.forEach((got, j) => {
        const want = ref.coefficients[j]!;
        close(name, `${got.name} estimate`, got.estimate, want.estimate);
        close(name, `${got.name} standard error`, got.stdError, want.std_error);
        close(name, `${got.name} t`, got.tStat, want.t);
        closeP(name, `${got.name} p`, got.pValue, want.p_value);
      });
    });

    it("fit statistics (R², adjusted R², ASHRAE Guideline 14)", () => {
      const f = results().fit;
      expect(f.n).toBe(ref.n);
      expect(f.p).toBe(ref.p);
      close(name, "R²", f.r2, ref.r2, 1e-6);
      close(name, "adjusted R²", f.adjR2, ref.adj_r2, 1e-6);
      close(name, "mean", f.meanKwh, ref.mean_kwh);
      close(name, "RMSE", f.rmseKwh, ref.rmse_kwh);
      close(name, "CV(RMSE)", f.cvRmse, ref.cv_rmse);
      close(name, "NMBE", f.nmbe, ref.nmbe, 1e-3);
      close(name, "lag-1 autocorrelation", f.autocorrelation, ref.autocorrelation);
      close(name, "effective n", f.nEffective, ref.n_effective);
    });

    it("adjusted baseline, savings and their uncertainty", () => {
      const r = results();
      const s = r.savings;
      const want = ref.reporting;
      expect(s.intervals).toBe(want.m);
      r.reportingSeries.adjustedBaselineKwh.forEach((v, j) =>
        close(name, `prediction ${r.reportingSeries.t[j]}`, v, want.predictions_kwh[j]!),
      );
      expect(r.reportingSeries.adjustedBaselineKwh).toHaveLength(want.predictions_kwh.length);
      close(name, "actual", s.actualKwh, want.actual_kwh);
      close(name, "adjusted baseline", s.adjustedBaselineKwh, want.adjusted_baseline_kwh);
      close(name, "avoided energy", s.avoidedKwh, want.savings_kwh);
      const nMinusP = computeStudy(specOf(ref, "n_minus_p"), { baseline, reporting, currency: "USD" }).savings
        .uncertainty90;
      for (const [got, exp] of [
        [s.uncertainty68, want.uncertainty68],
        [s.uncertainty90, want.uncertainty90],
        [s.uncertainty68Plain, want.uncertainty68_plain],
        [s.uncertainty90Plain, want.uncertainty90_plain],
        [nMinusP, want.uncertainty90_n_minus_p],
      ] as const) {
        expect(got.confidence).toBe(exp.confidence);
        close(name, `df at ${exp.confidence}`, got.df, exp.df);
        close(name, `t at ${exp.confidence}`, got.t, exp.t);
        close(name, `U at ${exp.confidence}`, got.absoluteKwh, exp.absolute_kwh);
        close(name, `fractional U at ${exp.confidence}`, got.fractional, exp.fractional);
      }
      close(name, "cumulative U90 at the end", r.reportingSeries.cumulativeU90Kwh.at(-1), want.cumulative_u90_last_kwh);
      close(name, "avoided cost", s.avoidedCost, want.avoided_cost);
      close(name, "avoided CO2e", s.avoidedCo2eKg, want.avoided_co2e_kg);
      close(name, "PUE baseline", r.pue.baseline, ref.pue.baseline);
      close(name, "PUE reporting", r.pue.reporting, ref.pue.reporting);
    });
  },
);

describe("the comparison has teeth", () => {
  // Plausible variants of the formulas differ from the reference by far more than the tolerance,
  // so a change to any of them in lib/mv fails the tests above.
  const ref = reference.cases.ols_it_cdd_fixed_daily!;
  const fails = (variant: number, expected: number) => Math.abs(variant - expected) / Math.abs(expected) > REL;

  it("CV(RMSE) over n instead of n − p", () => {
    expect(fails(Math.sqrt(ref.sse / ref.n) / ref.mean_kwh, ref.cv_rmse)).toBe(true);
  });

  it("savings uncertainty without the autocorrelation correction, or with t at n − p", () => {
    const { n, p, cv_rmse: cv, mean_kwh: ybar, n_effective: ne } = ref;
    const m = ref.reporting.m;
    const want = ref.reporting.uncertainty90.absolute_kwh;
    expect(fails(tValue(0.9, n - p) * 1.26 * cv * ybar * Math.sqrt((1 + 2 / n) * m), want)).toBe(true);
    expect(fails(tValue(0.9, n - p) * 1.26 * cv * ybar * Math.sqrt((n / ne) * (1 + 2 / ne) * m), want)).toBe(true);
    expect(fails(tValue(0.9, ne - p) * cv * ybar * Math.sqrt((n / ne) * (1 + 2 / ne) * m), want)).toBe(true);
  });

  it("lag-1 autocorrelation as a Pearson correlation of (eₜ, eₜ₋₁), or over n − 1 squares", () => {
    const c = reference.cases.ols_it_cdd_fixed_hourly!;
    const e = fitModel({ kind: "ols_it_cdd", balancePointC: c.balance_point_c }, data.hourly.baseline, "hourly").fit
      .residuals;
    const a = Array.from(e.subarray(1));
    const b = Array.from(e.subarray(0, -1));
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const [ma, mb] = [mean(a), mean(b)];
    const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i]! - mb), 0);
    const pearson =
      cov / Math.sqrt(a.reduce((s, x) => s + (x - ma) ** 2, 0) * b.reduce((s, x) => s + (x - mb) ** 2, 0));
    const shortDenominator = a.reduce((s, x, i) => s + x * b[i]!, 0) / a.reduce((s, x) => s + x * x, 0);
    expect(fails(lag1Autocorrelation(e), c.autocorrelation)).toBe(false);
    expect(fails(pearson, c.autocorrelation)).toBe(true);
    expect(fails(shortDenominator, c.autocorrelation)).toBe(true);
  });

  it("prints the largest relative error per model", () => {
    // Runs last: a summary of the comparisons above, printed with MV_ACCURACY_SUMMARY=1.
    const summary = [...worst.entries()]
      .map(([k, v]) => `${k}: ${v.toExponential(1)} (${worstWhat.get(k)})`)
      .join(", ");
    expect(summary.length).toBeGreaterThan(0);
    if (process.env.MV_ACCURACY_SUMMARY) console.warn(`max relative error per model: ${summary}`);
  });
});
