// The API's JSON shape of an implementation, its verification and predicted vs verified (zod
// schemas for the OpenAPI document) and the serializer typed against them.
import { z } from "zod";
import type { StudyResults } from "@/lib/mv/compute";
import { comparePrediction, type PredictedImpact } from "./compare";
import type { ImplementationWithReport } from "./repo";

const Num = z.number();
export const ComparisonSchema = z
  .object({
    verdict: z.enum(["confirmed", "not_confirmed", "inconclusive"]),
    position: z
      .enum(["inside", "above", "below"])
      .nullable()
      .meta({ description: "Where the prediction lies against the verified 90 % band" }),
    band: z.object({ lowKwh: Num, highKwh: Num }).nullable(),
    reasons: z.array(z.string()),
    boundary: z.enum(["cooling", "facility"]),
    attribution: z.string().meta({ description: "How a facility prediction is compared with the study's boundary" }),
    hours: Num.meta({ description: "Hours the prediction is scaled to: the report's measured intervals" }),
    predicted: z
      .object({ energyKwh: Num, co2eKg: Num, cost: Num.nullable() })
      .meta({ description: "Positive = saving" }),
    verified: z
      .object({
        reportId: z.uuid(),
        energyKwh: Num,
        energyU90Kwh: Num.meta({ description: "The calibrated 90 % band (docs/MV-METHOD.md §5.2) the verdict uses" }),
        g14U90Kwh: Num.meta({ description: "ASHRAE Guideline 14's 90 % band (random error only), for reference" }),
        uncalibrated: z
          .string()
          .nullable()
          .meta({ description: "Why the band is not calibrated (the verdict is then inconclusive); null when it is" }),
        co2eKg: Num.nullable(),
        co2eU90Kg: Num.nullable(),
        cost: Num.nullable(),
        costU90: Num.nullable(),
        sufficient: z.boolean(),
        intervals: Num,
        expectedIntervals: Num,
      })
      .nullable(),
    currency: z.string().nullable(),
    applied: z
      .object({
        applied: Num,
        suggested: Num.nullable(),
        current: Num.nullable(),
        units: z.string(),
        differs: z.boolean(),
        factor: Num.nullable().meta({ description: "Applied change ÷ suggested change (from the current value)" }),
        scaled: z
          .object({ energyKwh: Num, co2eKg: Num, cost: Num.nullable() })
          .nullable()
          .meta({ description: "The prediction × factor, when the applied value differs and the rule applies" }),
        notApplicable: z
          .string()
          .nullable()
          .meta({ description: "Why the prediction does not apply to the change made (null when it does)" }),
        text: z.string().meta({ description: 'e.g. "applied 24 °C, suggested 22.8 °C"' }),
      })
      .nullable()
      .meta({
        description:
          "The applied value against the suggestion; the prediction scaled linearly by applied change ÷ suggested change when both are non-zero and of the same sign, else flagged (docs/MV-METHOD.md). Null without an applied value.",
      }),
  })
  .meta({ id: "PredictedVsVerified" });

export const ImplementationViewSchema = z
  .object({
    id: z.uuid(),
    recommendation_id: z.uuid(),
    tenant_id: z.string(),
    outcome: z.enum(["implemented", "rejected"]),
    effective_at: z.string().nullable(),
    applied_value: Num.nullable(),
    note: z.string().nullable(),
    reason: z.string().nullable(),
    scope: z.object({
      site_id: z.string().nullable(),
      cluster_id: z.string().nullable(),
      zone_id: z.string().nullable(),
    }),
    boundary: z.enum(["cooling", "facility"]).nullable(),
    baseline: z.object({ from: z.string(), to: z.string() }).nullable(),
    reporting: z.object({ from: z.string(), to: z.string() }).nullable(),
    verification: z
      .object({
        status: z.enum(["waiting", "open", "closed", "failed"]),
        note: z.string().nullable(),
        checked_at: z.string().nullable(),
        closed_at: z.string().nullable(),
        study_id: z.uuid(),
        study_name: z.string(),
        reports: z.number().int(),
        latest_report_id: z.uuid().nullable(),
      })
      .nullable(),
    comparison: ComparisonSchema.nullable(),
    created_by: z.string(),
    created_at: z.string(),
  })
  .meta({ id: "RecommendationImplementation" });
export type ImplementationView = z.infer<typeof ImplementationViewSchema>;

export function comparisonOf(impl: ImplementationWithReport, impact: PredictedImpact, action?: unknown) {
  if (impl.outcome !== "implemented" || !impl.reportingFrom || !impl.reportingTo) return null;
  const last = impl.study?.reports[0] ?? null;
  const report = last ? { id: last.id, results: JSON.parse(last.results) as StudyResults } : null;
  const reportingHours = (impl.reportingTo.getTime() - impl.reportingFrom.getTime()) / 3_600_000;
  const final = impl.verificationStatus === "closed" || impl.verificationStatus === "failed";
  return comparePrediction({
    impact,
    boundary: (impl.boundary ?? "facility") as "cooling" | "facility",
    reportingHours,
    report,
    final,
    applied: action === undefined ? undefined : { action, value: impl.appliedValue },
  });
}

export function serializeImplementation(
  impl: ImplementationWithReport,
  impact: PredictedImpact,
  action?: unknown,
): ImplementationView {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const s = impl.study;
  return {
    id: impl.id,
    recommendation_id: impl.recommendationId,
    tenant_id: impl.tenantId,
    outcome: impl.outcome as "implemented" | "rejected",
    effective_at: iso(impl.effectiveAt),
    applied_value: impl.appliedValue,
    note: impl.note,
    reason: impl.reason,
    scope: { site_id: impl.siteId, cluster_id: impl.clusterId, zone_id: impl.zoneId },
    boundary: impl.boundary as "cooling" | "facility" | null,
    // The baseline ends at the start of the day the change took effect (verificationWindows).
    baseline:
      impl.baselineFrom && impl.effectiveAt
        ? {
            from: impl.baselineFrom.toISOString(),
            to: new Date(impl.effectiveAt.getTime() - (impl.effectiveAt.getTime() % 86_400_000)).toISOString(),
          }
        : null,
    reporting:
      impl.reportingFrom && impl.reportingTo
        ? { from: impl.reportingFrom.toISOString(), to: impl.reportingTo.toISOString() }
        : null,
    verification: s
      ? {
          status: (impl.verificationStatus ?? "waiting") as "waiting",
          note: impl.verificationNote,
          checked_at: iso(impl.checkedAt),
          closed_at: iso(impl.closedAt),
          study_id: s.id,
          study_name: s.name,
          reports: s._count.reports,
          latest_report_id: s.reports[0]?.id ?? null,
        }
      : null,
    comparison: comparisonOf(impl, impact, action),
    created_by: `${impl.createdByType}:${impl.createdById}`,
    created_at: impl.createdAt.toISOString(),
  };
}
