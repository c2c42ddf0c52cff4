// The scorecard as CSV: one row per implemented recommendation (its prediction, verification and
// verdict), the per engine × category totals being sums of the rows with in_totals true (the
// conclusive verifications; inconclusive ones are listed with in_totals false).
import "server-only";
import { toCsvStream } from "@/lib/export/csv";
import type { ScorecardResult } from "./scorecard";
import { isConclusive } from "./scorecard-math";

type Row = ScorecardResult["items"][number];
const r1 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);

export function scorecardCsv(items: Row[]): ReadableStream<Uint8Array> {
  return toCsvStream(items, [
    { header: "recommendation_id", value: (i) => i.recommendationId },
    { header: "rec_id", value: (i) => i.recId },
    { header: "tenant_id", value: (i) => i.tenantId },
    { header: "site_id", value: (i) => i.siteId },
    { header: "engine", value: (i) => i.engine },
    { header: "category", value: (i) => i.category },
    { header: "effective_at", value: (i) => i.effectiveAt },
    { header: "boundary", value: (i) => i.comparison.boundary },
    { header: "hours", value: (i) => i.comparison.hours },
    { header: "predicted_kwh", value: (i) => r1(i.comparison.predicted.energyKwh) },
    { header: "verified_kwh", value: (i) => r1(i.comparison.verified?.energyKwh) },
    { header: "verified_u90_kwh", value: (i) => r1(i.comparison.verified?.energyU90Kwh) },
    { header: "predicted_cost", value: (i) => r1(i.comparison.predicted.cost) },
    { header: "verified_cost", value: (i) => r1(i.comparison.verified?.cost) },
    { header: "currency", value: (i) => i.comparison.currency },
    { header: "predicted_co2e_kg", value: (i) => r1(i.comparison.predicted.co2eKg) },
    { header: "verified_co2e_kg", value: (i) => r1(i.comparison.verified?.co2eKg) },
    { header: "applied_value", value: (i) => i.comparison.applied?.applied },
    { header: "suggested_value", value: (i) => i.comparison.applied?.suggested },
    {
      header: "predicted_kwh_change_applied",
      value: (i) => (i.comparison.applied?.differs ? r1(i.comparison.applied.scaled?.energyKwh) : null),
    },
    {
      header: "prediction_not_applicable",
      value: (i) => i.comparison.applied?.notApplicable,
    },
    { header: "verdict", value: (i) => i.comparison.verdict },
    { header: "in_totals", value: (i) => (isConclusive(i) ? "true" : "false") },
    { header: "prediction_vs_band", value: (i) => i.comparison.position },
    { header: "report_id", value: (i) => i.comparison.verified?.reportId },
  ]);
}
