// BioCore's side of the MASS v1.1 contract (§3): what `/recommend`, `/health` and `/version`
// answer. Every answer is validated with these schemas; an answer that does not parse is a failed
// call, never a recommendation.
import { z } from "zod";

const Num = z.number().finite();
const Text = z.string().max(4000);

export const BioCoreStatusCode = z.enum(["OK", "DEGRADED", "INVALID_INPUT", "DEADLINE_EXCEEDED", "UNAVAILABLE"]);

export const RecommendationSchema = z.object({
  rec_id: z.string().min(1).max(128),
  priority: z.number().int().min(0).max(1000),
  category: z.string().min(1).max(64),
  action: z.object({
    type: z.string().min(1).max(64),
    target: z.string().min(1).max(256),
    current: Num.nullable(),
    suggested: Num.nullable(),
    delta: Num.nullable(),
    units: z.string().max(32),
  }),
  expected_impact: z.object({ facility_power_kw_delta: Num, pue_delta: Num, co2e_kg_per_day_delta: Num }),
  explainability: z.object({
    narrative: Text,
    reason_codes: z.array(z.string().max(64)).max(50),
    organism_tags: z.array(z.string().max(64)).max(50),
  }),
  trace: z.object({
    input_fingerprint: z.string().max(200),
    feature_set_version: z.string().max(64),
    decision_id: z.string().max(128),
    generated_at_utc: z.string().max(40),
  }),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const BioCoreResponseSchema = z.object({
  schema_version: z.string().max(16),
  correlation_id: z.string().max(128),
  trace: z.object({ traceparent: z.string().max(64).nullable().optional() }).optional(),
  response: z.object({
    request_id: z.string().max(128),
    idempotency_key: z.string().max(255),
    model: z.object({ name: z.string().max(64), version: z.string().max(64), policy_id: z.string().max(128) }),
    status: z.object({
      code: BioCoreStatusCode,
      warnings: z.array(z.unknown()).max(100),
      validation: z.object({
        schema_valid: z.boolean(),
        missing_ratio: Num.min(0).max(1),
        staleness_seconds: Num.min(0),
      }),
      message: z.string().max(4000).nullable(),
      retryable: z.boolean(),
    }),
    summary: z.object({
      confidence: Num.min(0).max(1),
      risk_score: Num.min(0).max(1),
      estimated_impact_24h: z.object({ energy_kwh: Num, energy_cost_usd: Num, pue_delta: Num, co2e_kg: Num }),
      guardrails: z.object({ shadow_read_only_enforced: z.boolean(), constraints_satisfied: z.boolean() }),
    }),
    recommendations: z.array(RecommendationSchema).max(50),
    audit: z.object({
      mode: z.string().max(32),
      no_control_actions_enforced: z.boolean(),
      latency_ms: Num.min(0),
      slo_ms: Num.min(0),
      service_health: z.string().max(32),
    }),
  }),
});
export type BioCoreResponse = z.infer<typeof BioCoreResponseSchema>;

export const BioCoreHealthSchema = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  checked_at_utc: z.string().max(40),
});
export type BioCoreHealth = z.infer<typeof BioCoreHealthSchema>;

export const BioCoreVersionSchema = z.object({
  name: z.string().max(64),
  version: z.string().max(64),
  model_version: z.string().max(64),
  feature_set_version: z.string().max(64),
  policy_id: z.string().max(128),
});
export type BioCoreVersion = z.infer<typeof BioCoreVersionSchema>;
