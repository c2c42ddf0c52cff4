// A study's results from its specification and its intervals: fit the baseline model, check it
// against ASHRAE Guideline 14, project the adjusted baseline over the reporting period and sum the
// avoided energy, cost and CO2e with their uncertainty. Pure: the same inputs give the same bytes.
import {
  cvRmse,
  effectiveN,
  lag1Autocorrelation,
  nmbe,
  plainSavingsUncertainty,
  savingsUncertainty,
  type SavingsUncertainty,
} from "./g14";
import type { InputQuality } from "./input-quality";
import { coolingDegrees, DAY_MS, intervalMs, meanTempC, type Interval } from "./intervals";
import { fitModel, type BalancePointCandidate } from "./models";
import { calibrate, type CalibratedUncertainty } from "./calibrate";
import { MvError } from "./errors";
import { crossValidate, meanTemperature, selectModel, type CrossValidation, type Selection } from "./select";
import type { Coefficient } from "./ols";
import {
  acceptanceThresholds,
  boundarySignalsOf,
  inputRules,
  resolveConventions,
  type Conventions,
  type StudySpec,
} from "./spec";

/** Bumped whenever a formula or default changes what a report would say. */
export const METHOD_VERSION = "mv-2.0";

export type Check = { value: number | null; threshold: number; pass: boolean };
export type PeriodSufficiency = {
  expected: number;
  complete: number;
  excluded: number;
  coverage: number;
  days: number;
  pass: boolean;
  minCoverage: number;
  minDays: number;
};

export type StudyResults = {
  methodVersion: string;
  granularity: StudySpec["granularity"];
  boundary: StudySpec["boundary"];
  /** The conventions this report was computed with (spec.conventions, or the legacy ones for a revision without them). */
  conventions: Conventions;
  model: {
    kind: string;
    coefficients: Coefficient[];
    balancePointC: number | null;
    balancePointSearch: BalancePointCandidate[];
    knotsC: number[];
    occupiedHoursOfWeek: number;
    notes: string[];
  };
  dataNotes: string[];
  fit: {
    n: number;
    p: number;
    r2: number;
    adjR2: number;
    cvRmse: number;
    nmbe: number;
    rmseKwh: number;
    meanKwh: number;
    autocorrelation: number;
    nEffective: number;
  };
  sufficiency: { baseline: PeriodSufficiency; reporting: PeriodSufficiency };
  acceptance: { cvRmse: Check; nmbe: Check; uncertainty68: Check; sufficiency: boolean; pass: boolean };
  savings: {
    intervals: number;
    actualKwh: number;
    adjustedBaselineKwh: number;
    routineKwh: number;
    nonRoutineKwh: number;
    avoidedKwh: number;
    avoidedPct: number | null;
    uncertainty68: SavingsUncertainty;
    uncertainty90: SavingsUncertainty;
    /** Without the autocorrelation correction (n for n′, t at n − p): G14 Annex B's plain form, for comparison with tools that do not correct. */
    uncertainty68Plain: SavingsUncertainty;
    uncertainty90Plain: SavingsUncertainty;
    /** The 90 % band verdicts use: G14's widened by the out-of-sample error (lib/mv/calibrate.ts); null when it cannot be calibrated (calibrationNote says why). */
    calibrated90: CalibratedUncertainty | null;
    calibrationNote: string | null;
    avoidedCost: number | null;
    currency: string | null;
    avoidedCo2eKg: number | null;
  };
  pue: { baseline: number | null; reporting: number | null };
  /** auto: every candidate's held-out and in-sample fit, which won and why; null for a model named in the specification. */
  selection: Selection | null;
  /** The blocked cross-validation of the model used (the calibrated band's source). */
  crossValidation: {
    folds: number;
    cvRmse: number;
    rmseKwh: number;
    foldMeanErrorKwh: number[];
    foldIntervals: number[];
    foldTempShiftC: (number | null)[];
  } | null;
  baselineSeries: { t: string[]; actualKwh: number[]; fittedKwh: number[] };
  reportingSeries: {
    t: string[];
    actualKwh: number[];
    adjustedBaselineKwh: number[];
    savingsKwh: number[];
    cumulativeKwh: number[];
    cumulativeU90Kwh: number[];
    /** The calibrated band of the cumulative savings after each interval (absent when there is none): max(G14 at j + 1 intervals, the model-form term at j + 1 with the whole period's extrapolation ratio). */
    cumulativeCalibrated90Kwh?: number[];
  };
  /** The rules that turned observations into intervals (docs/MV-METHOD.md §2, §7). */
  inputRules: { boundarySignals: string[]; minHoursPerDay: number; staleAfterSeconds: number; includeFlagged: boolean };
  /** What the data-quality checks found (stale runs, rows the loader dropped); null when not loaded from the database. */
  inputQuality: InputQuality | null;
  /** Every model input of each interval used, aligned with `baselineSeries.t` and `reportingSeries.t`. */
  inputs: { baseline: InputColumns; reporting: InputColumns };
  /** Intervals read but left out by the study's dated exclusions, with their inputs. */
  excludedIntervals: ExcludedInterval[];
};

export type InputColumns = {
  itKwh: (number | null)[];
  facilityKwh: (number | null)[];
  meanTempC: (number | null)[];
  /** Cooling degree-hours (hourly) or degree-days (daily) at the model's balance point; null without one. */
  coolingDegrees: (number | null)[] | null;
  /** Days: complete hours the day was built from; hourly: 1. */
  hoursPresent: number[];
};

export type ExcludedInterval = {
  period: "baseline" | "reporting";
  t: string;
  reason: string;
  actualKwh: number;
  itKwh: number | null;
  facilityKwh: number | null;
  meanTempC: number | null;
  coolingDegrees: number | null;
  hoursPresent: number;
};

export type StudyData = {
  baseline: Interval[];
  reporting: Interval[];
  /** The data's currency when prices come from the data. */
  currency: string | null;
  /** What the loader noticed about the data (e.g. a scope over several sites). */
  notes?: string[];
  /** What the loader's data-quality checks found. */
  quality?: InputQuality;
};

const ms = (iso: string) => new Date(iso).getTime();

function overlapsExclusion(spec: StudySpec, startMs: number, lengthMs: number): boolean {
  return spec.assumptions.exclusions.some((e) => startMs < ms(e.to) && startMs + lengthMs > ms(e.from));
}

function sufficiency(
  spec: StudySpec,
  period: { from: string; to: string },
  complete: number,
  excluded: number,
  minDays: number,
): PeriodSufficiency {
  const step = intervalMs(spec.granularity);
  const expected = Math.round((ms(period.to) - ms(period.from)) / step) - excluded;
  const coverage = expected > 0 ? complete / expected : 0;
  const days = (complete * step) / DAY_MS;
  const minCoverage = spec.assumptions.sufficiency.minCoverage;
  return {
    expected,
    complete,
    excluded,
    coverage,
    days,
    pass: coverage >= minCoverage && days >= minDays,
    minCoverage,
    minDays,
  };
}

function excludedCount(spec: StudySpec, period: { from: string; to: string }): number {
  const step = intervalMs(spec.granularity);
  let n = 0;
  for (let t = ms(period.from); t < ms(period.to); t += step) if (overlapsExclusion(spec, t, step)) n++;
  return n;
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

function pue(intervals: Interval[]): number | null {
  let f = 0;
  let it = 0;
  for (const iv of intervals) {
    if (iv.facilityKwh === null || iv.itKwh === null) continue;
    f += iv.facilityKwh;
    it += iv.itKwh;
  }
  return it > 0 ? f / it : null;
}

export function computeStudy(spec: StudySpec, data: StudyData): StudyResults {
  const step = intervalMs(spec.granularity);
  const baseline = data.baseline.filter((iv) => !overlapsExclusion(spec, iv.startMs, step));
  // Dated exclusions apply to both periods (IPMVP non-routine events in the reporting period).
  const reporting = data.reporting.filter((iv) => !overlapsExclusion(spec, iv.startMs, step));
  const conventions = resolveConventions(spec);
  const modelSpec = { ...spec.model, degreeDays: conventions.degreeDays };
  const selected = spec.model.kind === "auto" ? selectModel(modelSpec, baseline, spec.granularity) : null;
  const model = selected ? selected.model : fitModel(modelSpec, baseline, spec.granularity);
  const { fit } = model;
  const n = fit.n;
  const p = fit.p;
  const y = baseline.map((iv) => iv.energyKwh);
  const meanKwh = sum(y) / n;
  const cv = cvRmse(fit.sse, n, p, meanKwh);
  const bias = nmbe(sum(fit.residuals), n, p, meanKwh);
  const rho = lag1Autocorrelation(
    fit.residuals,
    conventions.autocorrelation === "consecutive"
      ? { startsMs: baseline.map((iv) => iv.startMs), stepMs: step }
      : undefined,
  );
  const nEffective = effectiveN(n, rho);

  const adjusted = reporting.length > 0 ? model.predict(reporting) : new Float64Array(0);
  const actual = reporting.map((iv) => iv.energyKwh);
  const m = reporting.length;
  const routineKwh = sum(adjusted) - sum(actual);
  // Non-routine adjustments raise (positive kWh) or lower the adjusted baseline, in the interval they fall in.
  const adjustmentAt = new Float64Array(m);
  let nonRoutineKwh = 0;
  for (const a of spec.assumptions.adjustments) {
    const at = ms(a.at);
    if (at < ms(spec.reporting.from) || at >= ms(spec.reporting.to)) continue;
    nonRoutineKwh += a.kwh;
    let idx = reporting.findIndex((iv) => at < iv.startMs + step);
    if (idx < 0) idx = m - 1;
    if (idx >= 0) adjustmentAt[idx] = adjustmentAt[idx]! + a.kwh;
  }
  const avoidedKwh = routineKwh + nonRoutineKwh;
  const adjustedBaselineKwh = sum(adjusted) + nonRoutineKwh;
  const u = (confidence: number, mm: number, savings: number) =>
    savingsUncertainty({
      confidence,
      cv,
      meanY: meanKwh,
      n,
      nEffective,
      p,
      m: mm,
      savingsKwh: savings,
      df: conventions.uncertaintyDf,
    });
  const uncertainty68 = u(0.68, Math.max(m, 1), avoidedKwh);
  const uncertainty90 = u(0.9, Math.max(m, 1), avoidedKwh);
  const plain = (confidence: number) =>
    plainSavingsUncertainty({ confidence, cv, meanY: meanKwh, n, p, m: Math.max(m, 1), savingsKwh: avoidedKwh });
  let cvOut: CrossValidation | null = selected ? selected.cv : null;
  let cvError: string | null = null;
  if (!selected) {
    try {
      cvOut = crossValidate(modelSpec, baseline, spec.granularity);
    } catch (error) {
      if (!(error instanceof MvError)) throw error;
      cvError = error.message;
    }
  }
  const baselineT = meanTemperature(baseline);
  const reportingT = m > 0 ? meanTemperature(reporting) : null;
  const calibration = calibrate({
    kind: spec.model.kind,
    cv: cvOut,
    cvError,
    m: Math.max(m, 1),
    g14: uncertainty90,
    savingsKwh: avoidedKwh,
    reportingShiftC: baselineT === null || reportingT === null ? null : reportingT - baselineT,
  });

  // Cost and CO2e of each interval's avoided energy at that interval's price and intensity.
  const price = spec.assumptions.energyPrice;
  const carbon = spec.assumptions.carbonIntensity;
  let avoidedCost: number | null = 0;
  let avoidedCo2eKg: number | null = 0;
  const savingsKwh: number[] = [];
  const cumulativeKwh: number[] = [];
  const cumulativeU90Kwh: number[] = [];
  const cumulativeCalibrated90Kwh: number[] = [];
  const band = calibration.band;
  let running = 0;
  for (let j = 0; j < m; j++) {
    const s = adjusted[j]! - actual[j]! + adjustmentAt[j]!;
    savingsKwh.push(s);
    running += s;
    cumulativeKwh.push(running);
    cumulativeU90Kwh.push(u(0.9, j + 1, running).absoluteKwh);
    // The model-form term grows with the interval count (calibrate.ts): at j + 1 intervals it is (j + 1)/m of the period's.
    if (band)
      cumulativeCalibrated90Kwh.push(Math.max(cumulativeU90Kwh[j]!, (band.modelFormKwh * (j + 1)) / Math.max(m, 1)));
    const pj = price.source === "fixed" ? price.perKwh : reporting[j]!.pricePerKwh;
    avoidedCost = avoidedCost === null || pj === null ? null : avoidedCost + s * pj;
    const cj = carbon.source === "fixed" ? carbon.gPerKwh : reporting[j]!.carbonGPerKwh;
    avoidedCo2eKg = avoidedCo2eKg === null || cj === null ? null : avoidedCo2eKg + (s * cj) / 1000;
  }
  if (m === 0) {
    avoidedCost = null;
    avoidedCo2eKg = null;
  }

  const thresholds = acceptanceThresholds(spec);
  const suff = spec.assumptions.sufficiency;
  const baselineSufficiency = sufficiency(
    spec,
    spec.baseline,
    baseline.length,
    excludedCount(spec, spec.baseline),
    suff.minBaselineDays,
  );
  const reportingSufficiency = sufficiency(
    spec,
    spec.reporting,
    m,
    excludedCount(spec, spec.reporting),
    suff.minReportingDays,
  );
  const cvCheck = { value: cv, threshold: thresholds.maxCvRmse, pass: cv <= thresholds.maxCvRmse };
  const nmbeCheck = { value: bias, threshold: thresholds.maxAbsNmbe, pass: Math.abs(bias) <= thresholds.maxAbsNmbe };
  const uCheck = {
    value: uncertainty68.fractional,
    threshold: thresholds.maxFractionalUncertainty68,
    pass: uncertainty68.fractional !== null && uncertainty68.fractional < thresholds.maxFractionalUncertainty68,
  };
  const sufficient = baselineSufficiency.pass && reportingSufficiency.pass;
  const iso = (t: number) => new Date(t).toISOString();

  return {
    methodVersion: METHOD_VERSION,
    granularity: spec.granularity,
    boundary: spec.boundary,
    conventions,
    model: {
      kind: model.kind,
      coefficients: fit.coefficients,
      balancePointC: model.balancePointC,
      balancePointSearch: model.balancePointSearch,
      knotsC: model.knotsC,
      occupiedHoursOfWeek: model.occupiedHoursOfWeek.length,
      notes: model.notes,
    },
    dataNotes: data.notes ?? [],
    fit: {
      n,
      p,
      r2: fit.r2,
      adjR2: fit.adjR2,
      cvRmse: cv,
      nmbe: bias,
      rmseKwh: Math.sqrt(fit.sse / (n - p)),
      meanKwh,
      autocorrelation: rho,
      nEffective,
    },
    sufficiency: { baseline: baselineSufficiency, reporting: reportingSufficiency },
    acceptance: {
      cvRmse: cvCheck,
      nmbe: nmbeCheck,
      uncertainty68: uCheck,
      sufficiency: sufficient,
      pass: cvCheck.pass && nmbeCheck.pass && uCheck.pass && sufficient,
    },
    savings: {
      intervals: m,
      actualKwh: sum(actual),
      adjustedBaselineKwh,
      routineKwh,
      nonRoutineKwh,
      avoidedKwh,
      avoidedPct: adjustedBaselineKwh !== 0 ? avoidedKwh / adjustedBaselineKwh : null,
      uncertainty68,
      uncertainty90,
      uncertainty68Plain: plain(0.68),
      uncertainty90Plain: plain(0.9),
      calibrated90: calibration.band,
      calibrationNote: calibration.reason,
      avoidedCost,
      currency: price.source === "fixed" ? price.currency : data.currency,
      avoidedCo2eKg,
    },
    pue: { baseline: pue(baseline), reporting: pue(reporting) },
    selection: selected ? selected.selection : null,
    crossValidation: cvOut
      ? {
          folds: cvOut.folds.length,
          cvRmse: cvOut.cvRmse,
          rmseKwh: cvOut.rmseKwh,
          foldMeanErrorKwh: cvOut.folds.map((f) => f.meanErrorKwh),
          foldIntervals: cvOut.folds.map((f) => f.n),
          foldTempShiftC: cvOut.folds.map((f) => f.tempShiftC),
        }
      : null,
    baselineSeries: { t: baseline.map((iv) => iso(iv.startMs)), actualKwh: y, fittedKwh: Array.from(fit.fitted) },
    reportingSeries: {
      t: reporting.map((iv) => iso(iv.startMs)),
      actualKwh: actual,
      adjustedBaselineKwh: Array.from(adjusted, (v, j) => v + adjustmentAt[j]!),
      savingsKwh,
      cumulativeKwh,
      cumulativeU90Kwh,
      ...(band ? { cumulativeCalibrated90Kwh } : {}),
    },
    ...inputsOf(spec, data, model.balancePointC),
  };
}

/** The input rules, quality findings, per-interval inputs and excluded intervals of a study's results. */
function inputsOf(
  spec: StudySpec,
  data: StudyData,
  balancePointC: number | null,
): Pick<StudyResults, "inputRules" | "inputQuality" | "inputs" | "excludedIntervals"> {
  const step = intervalMs(spec.granularity);
  const rules = inputRules(spec);
  const degrees = (iv: Interval) =>
    balancePointC === null || iv.hourlyTempsC.length === 0 ? null : coolingDegrees(iv, balancePointC, spec.granularity);
  const hoursOf = (iv: Interval) => iv.hoursPresent ?? (spec.granularity === "hourly" ? 1 : 24);
  const columns = (ivs: Interval[]): InputColumns => ({
    itKwh: ivs.map((iv) => iv.itKwh),
    facilityKwh: ivs.map((iv) => iv.facilityKwh),
    meanTempC: ivs.map(meanTempC),
    coolingDegrees: balancePointC === null ? null : ivs.map(degrees),
    hoursPresent: ivs.map(hoursOf),
  });
  const kept = (ivs: Interval[]) => ivs.filter((iv) => !overlapsExclusion(spec, iv.startMs, step));
  const excluded = (period: "baseline" | "reporting", ivs: Interval[]): ExcludedInterval[] =>
    ivs.flatMap((iv) => {
      const e = spec.assumptions.exclusions.find((x) => iv.startMs < ms(x.to) && iv.startMs + step > ms(x.from));
      if (!e) return [];
      return [
        {
          period,
          t: new Date(iv.startMs).toISOString(),
          reason: e.reason,
          actualKwh: iv.energyKwh,
          itKwh: iv.itKwh,
          facilityKwh: iv.facilityKwh,
          meanTempC: meanTempC(iv),
          coolingDegrees: degrees(iv),
          hoursPresent: hoursOf(iv),
        },
      ];
    });
  return {
    inputRules: { boundarySignals: boundarySignalsOf(spec), ...rules },
    inputQuality: data.quality ?? null,
    inputs: { baseline: columns(kept(data.baseline)), reporting: columns(kept(data.reporting)) },
    excludedIntervals: [...excluded("baseline", data.baseline), ...excluded("reporting", data.reporting)],
  };
}
