// The pilot's own check of every answer, whatever BioCore says about itself: a recommendation that
// breaks a hard constraint of its request, or any recommendation of an answer that does not enforce
// "no control actions" in shadow mode, is flagged and never shown as actionable. The pilot never
// sends anything to a plant either way.
import type { BioCoreResponse, Recommendation } from "./contract";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Assumed rise of rack inlet temperature per °C of cooling setpoint raise (supply air tracks the setpoint). */
export const INLET_RISE_PER_SETPOINT_C = 1;

export type GuardrailCheck = { answer: string[]; perRecommendation: Record<string, string[]> };

export function checkGuardrails(request: unknown, response: BioCoreResponse): GuardrailCheck {
  const req = obj(obj(request).request);
  const hard = obj(obj(req.constraints).hard);
  const soft = obj(obj(req.constraints).soft);
  const thermal = obj(obj(req.signals).thermal);
  const shadow = req.mode === "shadow" || hard.no_control_actions === true;
  const answer: string[] = [];
  const r = response.response;
  if (shadow && !r.audit.no_control_actions_enforced)
    answer.push("no_control_actions_not_enforced: the answer does not enforce no control actions in shadow mode");
  if (shadow && !r.summary.guardrails.shadow_read_only_enforced)
    answer.push("shadow_read_only_not_enforced: the answer does not enforce shadow (read-only) mode");
  if (r.status.code !== "OK" && r.status.code !== "DEGRADED")
    answer.push(`status_${r.status.code.toLowerCase()}: BioCore answered ${r.status.code}`);
  const maxRisk = num(soft.max_risk_score);
  if (maxRisk !== null && r.summary.risk_score > maxRisk)
    answer.push(`risk_over_limit: risk score ${r.summary.risk_score} over the request's ${maxRisk}`);

  const maxDelta = num(hard.max_setpoint_change_c);
  const maxP95 = num(hard.max_rack_inlet_p95_c);
  const p95 = num(thermal.p95_rack_inlet_c);
  const perRecommendation: Record<string, string[]> = {};
  for (const rec of r.recommendations)
    perRecommendation[rec.rec_id] = checkRecommendation(rec, { maxDelta, maxP95, p95 });
  return { answer, perRecommendation };
}

function checkRecommendation(
  rec: Recommendation,
  c: { maxDelta: number | null; maxP95: number | null; p95: number | null },
): string[] {
  const out: string[] = [];
  const a = rec.action;
  const setpoint = rec.category === "cooling_setpoint" || /setpoint/i.test(a.type);
  if (!setpoint) return out;
  const delta = a.delta ?? (a.suggested !== null && a.current !== null ? a.suggested - a.current : null);
  if (delta === null) {
    out.push("setpoint_delta_unknown: a setpoint change without a delta cannot be checked");
    return out;
  }
  if (
    a.delta !== null &&
    a.suggested !== null &&
    a.current !== null &&
    Math.abs(a.suggested - a.current - a.delta) > 1e-6
  )
    out.push(
      `setpoint_delta_inconsistent: suggested − current = ${(a.suggested - a.current).toFixed(2)} but delta = ${a.delta}`,
    );
  if (c.maxDelta !== null && Math.abs(delta) > c.maxDelta + 1e-9)
    out.push(`max_setpoint_change_exceeded: |${delta}| °C over the request's ${c.maxDelta} °C`);
  if (c.maxP95 !== null && c.p95 !== null && delta > 0) {
    const predicted = c.p95 + INLET_RISE_PER_SETPOINT_C * delta;
    if (predicted > c.maxP95 + 1e-9)
      out.push(
        `p95_inlet_limit_exceeded: predicted p95 inlet ${predicted.toFixed(1)} °C over the limit ${c.maxP95} °C`,
      );
  }
  return out;
}
