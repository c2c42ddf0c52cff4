// Model selection by out-of-sample error, and the blocked cross-validation it rests on (also the
// source of the calibrated savings band, lib/mv/calibrate.ts). Pure.
//
// Blocked cross-validation: the baseline intervals, in time order, are cut into K contiguous folds
// of (nearly) equal counts; each fold is predicted by the model refitted — with its whole procedure,
// balance-point search included — on the other K − 1 folds. Contiguous blocks, not random points:
// with autocorrelated residuals a random split lets each held-out point be predicted from its
// neighbours and understates the error of predicting a period the model has not seen, which is
// what the reporting period is (Roberts et al. 2017, Ecography 40:913, "Cross-validation strategies
// for data with temporal … structure").
import { MvError } from "./errors";
import { meanTempC, type Granularity, type Interval } from "./intervals";
import { fitModel, type FittedModel, type ModelKind, type ModelSpec } from "./models";
import { formatPercent } from "@/lib/format";

/** Folds of the blocked cross-validation. */
export const CV_FOLDS = 5;

/** One fold: intervals [from, to) of the baseline, its mean held-out error y − ŷ, and how much warmer it was than the intervals it was predicted from. */
export type CvFold = {
  from: number;
  to: number;
  n: number;
  meanErrorKwh: number;
  sumSqErrorKwh2: number;
  tempShiftC: number | null;
};

/** Mean outdoor temperature over intervals (null if any lacks one). */
export function meanTemperature(intervals: Interval[]): number | null {
  let s = 0;
  for (const iv of intervals) {
    const t = meanTempC(iv);
    if (t === null) return null;
    s += t;
  }
  return intervals.length > 0 ? s / intervals.length : null;
}
export type CrossValidation = { folds: CvFold[]; n: number; rmseKwh: number; cvRmse: number };

/** Blocked K-fold cross-validation of `spec` on the baseline (held-out error y − ŷ). Throws MvError when a fold cannot be fitted. */
export function crossValidate(
  spec: ModelSpec,
  baseline: Interval[],
  granularity: Granularity,
  k = CV_FOLDS,
): CrossValidation {
  const n = baseline.length;
  if (n < 2 * k)
    throw new MvError(
      "too_few_points",
      `Cross-validation needs at least ${2 * k} baseline intervals (${k} folds of 2); the baseline has ${n}.`,
    );
  const folds: CvFold[] = [];
  let sse = 0;
  let sumY = 0;
  for (const iv of baseline) sumY += iv.energyKwh;
  for (let f = 0; f < k; f++) {
    const from = Math.floor((f * n) / k);
    const to = Math.floor(((f + 1) * n) / k);
    const held = baseline.slice(from, to);
    const train = [...baseline.slice(0, from), ...baseline.slice(to)];
    const model = fitModel(spec, train, granularity);
    const yhat = model.predict(held);
    let s = 0;
    let ss = 0;
    held.forEach((iv, i) => {
      const e = iv.energyKwh - yhat[i]!;
      s += e;
      ss += e * e;
    });
    sse += ss;
    const heldT = meanTemperature(held);
    const trainT = meanTemperature(train);
    folds.push({
      from,
      to,
      n: held.length,
      meanErrorKwh: s / held.length,
      sumSqErrorKwh2: ss,
      tempShiftC: heldT === null || trainT === null ? null : heldT - trainT,
    });
  }
  const rmseKwh = Math.sqrt(sse / n);
  return { folds, n, rmseKwh, cvRmse: rmseKwh / (sumY / n) };
}

export type SelectionCandidate = {
  kind: ModelKind;
  balancePointC: number | null;
  /** Parameters of the fit on the whole baseline. */
  p: number | null;
  adjR2: number | null;
  /** Held-out CV(RMSE) of the blocked cross-validation; null when a fold could not be fitted. */
  cvRmse: number | null;
  /** Why the model could not be fitted or cross-validated. */
  error: string | null;
};

export type Selection = {
  rule: string;
  folds: number;
  chosen: ModelKind;
  candidates: SelectionCandidate[];
  reason: string;
};

/** The models `auto` compares: TOWT only for hourly data. */
export function candidateKinds(granularity: Granularity): ModelKind[] {
  return granularity === "hourly"
    ? ["mean", "ols_it", "ols_it_cdd", "dc_lift", "towt"]
    : ["mean", "ols_it", "ols_it_cdd", "dc_lift"];
}

/**
 * `auto`: fit every candidate on the whole baseline and cross-validate it; the lowest held-out
 * CV(RMSE) wins (a tie goes to the fewer parameters, then the earlier candidate). Returns the winner
 * fitted on the whole baseline, its cross-validation, and the record of the choice.
 */
export function selectModel(
  spec: ModelSpec,
  baseline: Interval[],
  granularity: Granularity,
): { model: FittedModel; cv: CrossValidation | null; selection: Selection } {
  const fitted: { kind: ModelKind; model: FittedModel; cv: CrossValidation | null }[] = [];
  const candidates: SelectionCandidate[] = [];
  let firstError: unknown = null;
  for (const kind of candidateKinds(granularity)) {
    const candidateSpec: ModelSpec = { ...spec, kind, balancePointC: null };
    let model: FittedModel;
    try {
      model = fitModel(candidateSpec, baseline, granularity);
    } catch (error) {
      if (!(error instanceof MvError)) throw error;
      firstError ??= error;
      candidates.push({ kind, balancePointC: null, p: null, adjR2: null, cvRmse: null, error: error.message });
      continue;
    }
    let cv: CrossValidation | null = null;
    let cvError: string | null = null;
    try {
      cv = crossValidate(candidateSpec, baseline, granularity);
    } catch (error) {
      if (!(error instanceof MvError)) throw error;
      cvError = `cross-validation: ${error.message}`;
    }
    fitted.push({ kind, model, cv });
    candidates.push({
      kind,
      balancePointC: model.balancePointC,
      p: model.fit.p,
      adjR2: model.fit.adjR2,
      cvRmse: cv?.cvRmse ?? null,
      error: cvError,
    });
  }
  if (fitted.length === 0) throw firstError;
  const scored = fitted.filter((f) => f.cv !== null);
  const rule = `lowest held-out CV(RMSE) of a ${CV_FOLDS}-fold blocked cross-validation over the baseline (contiguous folds in time order); ties to the fewer parameters`;
  let best: (typeof fitted)[number];
  let reason: string;
  if (scored.length > 0) {
    best = scored.reduce((a, b) => {
      const d = b.cv!.cvRmse - a.cv!.cvRmse;
      if (Math.abs(d) > 1e-12) return d < 0 ? b : a;
      return b.model.fit.p < a.model.fit.p ? b : a;
    });
    const others = scored.filter((f) => f !== best).sort((a, b) => a.cv!.cvRmse - b.cv!.cvRmse);
    const runnerUp = others[0];
    reason = `Model chosen automatically: ${best.kind}${best.model.balancePointC !== null ? ` (balance point ${best.model.balancePointC} °C)` : ""} had the lowest held-out CV(RMSE), ${formatPercent(best.cv!.cvRmse, 2)}, of ${scored.length} candidate${scored.length === 1 ? "" : "s"} in a ${CV_FOLDS}-fold blocked cross-validation${runnerUp ? ` (next: ${runnerUp.kind}, ${formatPercent(runnerUp.cv!.cvRmse, 2)})` : ""}.`;
  } else {
    best = fitted.reduce((a, b) => (b.model.fit.adjR2 > a.model.fit.adjR2 ? b : a));
    reason = `Model chosen automatically: no candidate could be cross-validated (too few baseline intervals); ${best.kind} had the highest adjusted R², ${best.model.fit.adjR2.toFixed(4)}.`;
  }
  const model = { ...best.model, notes: [reason, ...best.model.notes] };
  return { model, cv: best.cv, selection: { rule, folds: CV_FOLDS, chosen: best.kind, candidates, reason } };
}
