// Predicted vs verified for one implementation: BioCore's 24 h impact scaled to the hours the
// verification report actually measured, against the report's avoided energy, cost and CO2e with
// their 90 % uncertainty, and the verdict. Pure.
//
// Boundaries: BioCore predicts a change of *facility* power. A cooling (Option B) study measures the
// chiller + fans only. A setpoint or fan change saves where it acts — in the cooling plant — and the
// rest of the facility is unchanged by it, so the facility prediction is compared with the cooling
// boundary's saving as is (the saving is attributed to the cooling boundary); what the cooling plant
// saves upstream (UPS and distribution losses on that power) is a few per cent and not counted.
import type { StudyResults } from "@/lib/mv/compute";
import { appliedVsSuggested, type AppliedVsSuggested } from "./applied";
import { verdictOf, type VerdictResult } from "./verdict";

export type PredictedImpact = { facility_power_kw_delta: number; co2e_kg_per_day_delta: number };

export type Comparison = VerdictResult & {
  boundary: "cooling" | "facility";
  attribution: string;
  /** Hours the prediction is scaled to: the report's measured intervals, or the whole reporting period before any report. */
  hours: number;
  predicted: { energyKwh: number; co2eKg: number; cost: number | null };
  verified: {
    reportId: string;
    energyKwh: number;
    /** The 90 % band the verdict uses: the calibrated one when the report has it (else Guideline 14's, and the verdict is inconclusive). */
    energyU90Kwh: number;
    /** Guideline 14's band (random error only), for reference. */
    g14U90Kwh: number;
    /** Why the band is not calibrated; null when it is. */
    uncalibrated: string | null;
    co2eKg: number | null;
    co2eU90Kg: number | null;
    cost: number | null;
    costU90: number | null;
    sufficient: boolean;
    intervals: number;
    expectedIntervals: number;
  } | null;
  currency: string | null;
  /**
   * The value applied against the suggestion, with the prediction scaled to the change applied
   * (applied.ts); null when no applied value was recorded. The verdict judges the prediction as made.
   */
  applied: AppliedVsSuggested | null;
};

export type ReportForComparison = {
  id: string;
  results: Pick<StudyResults, "savings" | "sufficiency" | "granularity" | "acceptance">;
};

const HOURS_PER_INTERVAL = { daily: 24, hourly: 1 } as const;

export function attributionOf(boundary: "cooling" | "facility"): string {
  return boundary === "cooling"
    ? "Option B (chiller + fans): BioCore's facility-power prediction is attributed to the cooling boundary, where a setpoint or fan change saves; the rest of the facility is taken as unchanged by it."
    : "Option C (facility meter): the prediction and the verified saving are on the same boundary.";
}

export function comparePrediction(input: {
  impact: PredictedImpact;
  boundary: "cooling" | "facility";
  reportingHours: number;
  report: ReportForComparison | null;
  final?: boolean;
  /** The recommendation's action and the value the operator applied. */
  applied?: { action: unknown; value: number | null | undefined };
}): Comparison {
  const r = input.report?.results ?? null;
  const hours = r ? r.savings.intervals * HOURS_PER_INTERVAL[r.granularity] : input.reportingHours;
  // A negative power delta is a saving: kWh saved = −ΔkW × h; CO2e saved = −Δ(kg/day) × days.
  const predictedKwh = -input.impact.facility_power_kw_delta * hours;
  const predictedCo2eKg = -input.impact.co2e_kg_per_day_delta * (hours / 24);
  let verified: Comparison["verified"] = null;
  let price: number | null = null;
  if (r && input.report) {
    const s = r.savings;
    // The report's own effective price and intensity (its avoided cost and CO2e per avoided kWh) price both sides.
    const per = (value: number | null) => (value !== null && s.avoidedKwh > 0 ? value / s.avoidedKwh : null);
    price = per(s.avoidedCost);
    const intensity = per(s.avoidedCo2eKg);
    // The calibrated band (mv-2.0 reports); an older report, or a model whose calibration the
    // coverage simulation does not validate, gives no verdict (docs/MV-METHOD.md §5.2).
    const calibrated = s.calibrated90 ?? null;
    const uncalibrated =
      calibrated === null
        ? (s.calibrationNote ??
          "the report has no calibrated band (computed before method mv-2.0); the next verification pass recomputes it")
        : calibrated.validated
          ? null
          : (s.calibrationNote ?? "the model's calibrated band is not validated by the coverage simulation");
    const u = calibrated?.absoluteKwh ?? s.uncertainty90.absoluteKwh;
    const reporting = r.sufficiency.reporting;
    verified = {
      reportId: input.report.id,
      energyKwh: s.avoidedKwh,
      energyU90Kwh: u,
      g14U90Kwh: s.uncertainty90.absoluteKwh,
      uncalibrated,
      co2eKg: s.avoidedCo2eKg,
      co2eU90Kg: intensity === null ? null : u * intensity,
      cost: s.avoidedCost,
      costU90: price === null ? null : u * price,
      sufficient: r.acceptance.sufficiency,
      intervals: s.intervals,
      expectedIntervals: reporting.expected,
    };
  }
  const v = verified;
  const result = verdictOf({
    predictedKwh,
    final: input.final ?? false,
    verified:
      v && r
        ? {
            avoidedKwh: v.energyKwh,
            u90Kwh: v.energyU90Kwh,
            sufficient: v.sufficient,
            uncalibrated: v.uncalibrated,
            sufficiencyNote: `baseline coverage ${Math.round(r.sufficiency.baseline.coverage * 100)} %, reporting ${v.intervals} of ${v.expectedIntervals} intervals`,
          }
        : null,
  });
  const predicted = {
    energyKwh: predictedKwh,
    co2eKg: predictedCo2eKg,
    cost: price === null ? null : predictedKwh * price,
  };
  return {
    ...result,
    boundary: input.boundary,
    attribution: attributionOf(input.boundary),
    hours,
    predicted,
    verified,
    currency: r?.savings.currency ?? null,
    applied: input.applied ? appliedVsSuggested(input.applied.action, input.applied.value, predicted) : null,
  };
}
