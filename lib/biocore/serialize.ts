// The API's JSON shapes of recommendations and BioCore calls (zod schemas for the OpenAPI document)
// and the serializers typed against them.
import { z } from "zod";
import type { BiocoreCall, Recommendation } from "@/lib/generated/prisma/client";
import { RecommendationSchema as ContractRecommendation } from "./contract";

export const BiocoreCallSchema = z
  .object({
    id: z.uuid(),
    mass_request_id: z.uuid(),
    engine: z.enum(["reference", "remote"]),
    started_at: z.string(),
    latency_ms: z.number().int(),
    attempts: z.number().int(),
    attempt_log: z.array(z.unknown()),
    outcome: z.enum(["ok", "cache_hit", "stale", "error"]),
    http_status: z.number().int().nullable(),
    breaker_state: z.string(),
    cache: z.string(),
    cache_age_seconds: z.number().int().nullable(),
    error_kind: z.string().nullable(),
    error_message: z.string().nullable(),
    biocore_version: z.string().nullable().meta({ description: "BioCore's own name and version (from /version)" }),
    model: z.object({ name: z.string().nullable(), version: z.string().nullable(), policy_id: z.string().nullable() }),
    status_code: z.string().nullable(),
    trace_id: z.string().nullable(),
  })
  .meta({ id: "BiocoreCall" });

/** new → acknowledged | dismissed (review), → implemented | rejected (outcome recorded), → verified (verification closed). */
export const RecommendationStatusSchema = z
  .enum(["new", "acknowledged", "dismissed", "implemented", "rejected", "verified"])
  .meta({
    id: "RecommendationStatus",
    description:
      "new → acknowledged | dismissed by review; implemented | rejected once the outcome is recorded; verified when its verification closes with a final report",
  });

export const RecommendationViewSchema = z
  .object({
    id: z.uuid(),
    mass_request_id: z.uuid(),
    call_id: z.uuid(),
    tenant_id: z.string(),
    site_id: z.string().nullable(),
    cluster_id: z.string().nullable(),
    zone_id: z.string().nullable(),
    rec_id: z.string(),
    priority: z.number().int(),
    category: z.string(),
    action: ContractRecommendation.shape.action,
    expected_impact: ContractRecommendation.shape.expected_impact,
    explainability: ContractRecommendation.shape.explainability,
    trace: ContractRecommendation.shape.trace,
    model: z.object({ name: z.string(), version: z.string(), policy_id: z.string() }),
    energy_kwh_24h: z.number().meta({ description: "Expected facility energy change over 24 h (negative = saving)" }),
    actionable: z
      .boolean()
      .meta({ description: "False when the pilot's guardrail check found a violation, or the answer was stale" }),
    violations: z.array(z.string()),
    stale: z.boolean(),
    status: RecommendationStatusSchema,
    status_comment: z.string().nullable(),
    status_by: z.string().nullable(),
    status_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "Recommendation" });

export const RecommendationDetailSchema = RecommendationViewSchema.extend({
  calls: z.array(BiocoreCallSchema).meta({ description: "The request's BioCore calls, newest first" }),
}).meta({ id: "RecommendationDetail" });

type View = z.infer<typeof RecommendationViewSchema>;

export function serializeCall(c: BiocoreCall): z.infer<typeof BiocoreCallSchema> {
  return {
    id: c.id,
    mass_request_id: c.massRequestId,
    engine: c.engine as "reference" | "remote",
    started_at: c.startedAt.toISOString(),
    latency_ms: c.latencyMs,
    attempts: c.attempts,
    attempt_log: c.attemptLog as unknown[],
    outcome: c.outcome as "ok",
    http_status: c.httpStatus,
    breaker_state: c.breakerState,
    cache: c.cache,
    cache_age_seconds: c.cacheAgeSeconds,
    error_kind: c.errorKind,
    error_message: c.errorMessage,
    biocore_version: c.biocoreVersion,
    model: { name: c.modelName, version: c.modelVersion, policy_id: c.policyId },
    status_code: c.statusCode,
    trace_id: c.traceId,
  };
}

export function serializeRecommendation(r: Recommendation): View {
  return {
    id: r.id,
    mass_request_id: r.massRequestId,
    call_id: r.callId,
    tenant_id: r.tenantId,
    site_id: r.siteId,
    cluster_id: r.clusterId,
    zone_id: r.zoneId,
    rec_id: r.recId,
    priority: r.priority,
    category: r.category,
    action: r.action as View["action"],
    expected_impact: r.expectedImpact as View["expected_impact"],
    explainability: r.explainability as View["explainability"],
    trace: r.trace as View["trace"],
    model: { name: r.modelName, version: r.modelVersion, policy_id: r.policyId },
    energy_kwh_24h: r.energyKwh24h,
    actionable: r.actionable,
    violations: r.violations as string[],
    stale: r.stale,
    status: r.status as View["status"],
    status_comment: r.statusComment,
    status_by: r.statusBy,
    status_at: r.statusAt?.toISOString() ?? null,
    created_at: r.createdAt.toISOString(),
  };
}
