// The answer to a document that is not a usable enterprise request: INVALID_INPUT, echoing what
// can be echoed, naming every problem, recommending nothing.
import type { BioCoreResponse } from "@/lib/biocore/contract";
import { MODEL_NAME, POLICY_ID, REFERENCE_VERSION } from "./constants";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown, max: number): string => (typeof v === "string" ? v.slice(0, max) : "");

export function invalidResponse(doc: unknown, issues: { pointer: string; message: string }[]): BioCoreResponse {
  const d = obj(doc);
  const r = obj(d.request);
  const traceparent = obj(d.trace).traceparent;
  const slo = r.service_level_objective_ms;
  const listed = issues.slice(0, 100);
  const message = `Not a usable MASS v1.1 enterprise request: ${listed.map((i) => `${i.pointer || "/"} ${i.message}`).join("; ")}`;
  return {
    schema_version: text(d.schema_version, 16),
    correlation_id: text(d.correlation_id, 128),
    trace: { traceparent: typeof traceparent === "string" && traceparent.length <= 64 ? traceparent : null },
    response: {
      request_id: text(r.request_id, 128),
      idempotency_key: text(r.idempotency_key, 255),
      model: { name: MODEL_NAME, version: REFERENCE_VERSION, policy_id: POLICY_ID },
      status: {
        code: "INVALID_INPUT",
        warnings: listed.map((i) => ({ pointer: i.pointer, code: "invalid_input", message: i.message.slice(0, 500) })),
        validation: { schema_valid: false, missing_ratio: 1, staleness_seconds: 0 },
        message: message.length > 4000 ? `${message.slice(0, 3997)}...` : message,
        retryable: false,
      },
      summary: {
        confidence: 0,
        risk_score: 0,
        estimated_impact_24h: { energy_kwh: 0, energy_cost_usd: 0, pue_delta: 0, co2e_kg: 0 },
        guardrails: { shadow_read_only_enforced: true, constraints_satisfied: true },
      },
      recommendations: [],
      audit: {
        mode: text(r.mode, 32) || "unknown",
        no_control_actions_enforced: true,
        latency_ms: 0,
        slo_ms: typeof slo === "number" && Number.isFinite(slo) && slo >= 0 ? slo : 0,
        service_health: "ok",
      },
    },
  };
}
