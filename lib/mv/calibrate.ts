// The calibrated savings band: ASHRAE Guideline 14's band covers the model's random error only; the
// error that decides whether a band contains the true saving is mostly the model's *form* — a
// response the model cannot follow, made worse by extrapolating to a reporting period warmer or
// colder than the baseline. The blocked cross-validation (lib/mv/select.ts) measures the error of
// predicting a stretch of the baseline the model was not fitted on, which contains both; the
// reporting period usually lies further from the baseline's weather than any fold does, so that
// error is scaled by how much further. docs/MV-METHOD.md §5.2 gives the rule, its reasoning and the
// simulation (lib/mv/simulate.ts, tests/bench/mv-coverage.bench.ts) that checks its coverage. Pure.
import { tValue, type SavingsUncertainty } from "./g14";
import type { ModelKind } from "./models";
import type { CrossValidation } from "./select";

/** Smallest fold temperature shift the extrapolation ratio divides by, °C (a baseline of nearly constant weather). */
export const MIN_FOLD_SHIFT_C = 0.5;

/**
 * The models (as named in the specification) whose calibrated band the simulation shows to cover
 * the true saving 85–95 % of the time at 90 % (docs/MV-METHOD.md §5.2). The weather-blind `mean` and
 * `ols_it` mostly over-cover (their band is dominated by their fold errors and the extrapolation
 * term): their band is given but a verdict does not confirm on it.
 */
export const VALIDATED_KINDS: ReadonlySet<ModelKind> = new Set<ModelKind>(["auto", "ols_it_cdd", "dc_lift", "towt"]);

export type CalibratedUncertainty = SavingsUncertainty & {
  /** The plain Guideline 14 band it started from, kWh. */
  g14Kwh: number;
  /** The out-of-sample (model-form) band from the blocked cross-validation, extrapolation included, kWh. */
  modelFormKwh: number;
  /** RMS over the folds of their mean held-out error per interval, kWh. */
  foldBiasKwh: number;
  /** max(1, |reporting − baseline mean temperature| / RMS of the folds' temperature shifts); null without temperatures (taken as 1). */
  extrapolationRatio: number | null;
  /** The simulation shows this model's calibrated band covering the truth 85–95 % of the time (VALIDATED_KINDS). */
  validated: boolean;
  method: string;
};

export type Calibration = { band: CalibratedUncertainty; reason: string | null } | { band: null; reason: string };

/**
 * The calibrated band at `confidence` over m reporting intervals:
 *   b_f   = mean held-out error of fold f (kWh per interval), f = 1…K;
 *   r     = max(1, |T̄_reporting − T̄_baseline| / max(RMS_f ΔT_f, 0.5 °C)),  ΔT_f = T̄_fold f − T̄_other folds;
 *   U_cv  = z(1 − α/2) · m · RMS_f(b_f) · r²;
 *   U_cal = max(U_G14, U_cv).
 * z is the standard normal quantile (1.645 at 90 %), not Student's t with K − 1 = 4 degrees of
 * freedom (2.132): the r² factor is itself an upper-side scaling, and with both the simulation
 * over-covers (92–96.5 % at 90 %); with z it gives 88–94.5 % (docs/MV-METHOD.md §5.2).
 */
export function calibrate(opts: {
  kind: ModelKind;
  cv: CrossValidation | null;
  cvError?: string | null;
  m: number;
  g14: SavingsUncertainty;
  savingsKwh: number;
  /** Mean outdoor temperature of the reporting intervals minus that of the baseline's, °C; null without temperatures. */
  reportingShiftC: number | null;
}): Calibration {
  const { cv, m, g14, savingsKwh } = opts;
  if (!cv)
    return {
      band: null,
      reason: `No calibrated band: the baseline could not be cross-validated (${opts.cvError ?? "unknown reason"}); a verdict does not confirm on the Guideline 14 band alone.`,
    };
  const k = cv.folds.length;
  const rms = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  const foldBiasKwh = rms(cv.folds.map((f) => f.meanErrorKwh));
  const shifts = cv.folds.map((f) => f.tempShiftC);
  const ratio =
    opts.reportingShiftC === null || shifts.some((s) => s === null)
      ? null
      : Math.max(1, Math.abs(opts.reportingShiftC) / Math.max(rms(shifts as number[]), MIN_FOLD_SHIFT_C));
  // The standard normal quantile: Student's t with 10⁹ degrees of freedom (equal to 1e-9).
  const t = tValue(g14.confidence, 1e9);
  const modelFormKwh = t * m * foldBiasKwh * (ratio ?? 1) ** 2;
  const absoluteKwh = Math.max(g14.absoluteKwh, modelFormKwh);
  const validated = VALIDATED_KINDS.has(opts.kind);
  return {
    band: {
      confidence: g14.confidence,
      t,
      absoluteKwh,
      fractional: savingsKwh !== 0 ? absoluteKwh / Math.abs(savingsKwh) : null,
      g14Kwh: g14.absoluteKwh,
      modelFormKwh,
      foldBiasKwh,
      extrapolationRatio: ratio,
      validated,
      method: `max(Guideline 14 band, z × m × RMS of the ${k} blocked cross-validation folds' mean held-out error × extrapolation ratio²)`,
    },
    reason: validated
      ? null
      : `The calibrated band of the ${opts.kind} model is not validated by the coverage simulation (92–97 % there, mostly above 95 %: a weather-blind model's band is dominated by its fold errors and the extrapolation term); a verdict does not confirm on it. Use auto, dc_lift, ols_it_cdd or towt.`,
  };
}
