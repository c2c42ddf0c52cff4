// The reference recommendation engine: a normalized MASS v1.1 enterprise request in, a BioCore
// answer (contract §3) out. Pure and deterministic: no I/O, no clock (the caller passes `now`), no
// randomness; the same request and `now` give a byte-identical answer. Never throws on a document.
import type { BioCoreResponse, Recommendation } from "@/lib/biocore/contract";
import { utcSeconds } from "@/lib/mass/values";
import {
  CONFIDENCE_MAX,
  FEATURE_SET_VERSION,
  HOURS_PER_DAY,
  MIN_IT_KW_FOR_PUE,
  MODEL_NAME,
  POLICY_ID,
  REFERENCE_VERSION,
  STALE_CONFIDENCE_FACTOR,
} from "./constants";
import { decisionId, inputFingerprint } from "./fingerprint";
import { invalidResponse } from "./invalid-response";
import { fmt, round } from "./numbers";
import { readRequest, RULE_INPUTS } from "./read-request";
import { coolingSetpointRule } from "./rules/cooling-setpoint";
import { fanSpeedRule } from "./rules/fan-speed";
import { hotspotMitigationRule } from "./rules/hotspot-mitigation";
import { workloadShiftRule } from "./rules/workload-shift";
import { select, type Admitted, type Selection } from "./select";
import { thermalBudget, type ThermalBudget } from "./thermal-budget";
import type { Candidate, EngineInput, RuleOutcome, StatusWarning } from "./types";

export type RecommendOptions = { now: Date };

/** For a heat-adding change among several: what they predict together (each narrative speaks of its own change). */
function togetherNote(selection: Selection, budget: ThermalBudget | null): string {
  const loading = selection.admitted.filter((a) => a.evaluation.loading);
  if (!budget || loading.length < 2) return "";
  const p95C = budget.p95InletC + selection.thermalRiseC;
  return ` With the other heat-adding change${loading.length > 2 ? "s" : ""} here, p95 inlet is predicted at ${fmt(p95C, 1)} °C (ceiling ${fmt(budget.ceilingC, 1)} °C), combined risk ${fmt(budget.risk(selection.thermalRiseC), 2)}.`;
}

function toRecommendation(
  a: Admitted,
  index: number,
  input: EngineInput,
  fingerprint: string,
  generatedAtUtc: string,
  together: string,
): Recommendation {
  const ev = a.evaluation;
  const recId = `rec-${String(index + 1).padStart(2, "0")}`;
  const kw = round(ev.facilityKwDelta, 3);
  const itKw = input.itKw;
  return {
    rec_id: recId,
    priority: index + 1,
    category: ev.category,
    action: ev.action,
    expected_impact: {
      facility_power_kw_delta: kw,
      pue_delta: itKw !== undefined && itKw >= MIN_IT_KW_FOR_PUE ? round(kw / itKw, 5) : 0,
      co2e_kg_per_day_delta: round(ev.co2eKgPerDayDelta, 3),
    },
    explainability: {
      narrative: (ev.narrative(a.risk) + (ev.loading ? together : "")).slice(0, 4000),
      reason_codes: ev.reasonCodes,
      organism_tags: ev.organismTags,
    },
    trace: {
      input_fingerprint: fingerprint,
      feature_set_version: FEATURE_SET_VERSION,
      decision_id: decisionId(fingerprint, recId),
      generated_at_utc: generatedAtUtc,
    },
  };
}

function statusWarnings(input: EngineInput, missingRatio: number, stalenessSeconds: number): StatusWarning[] {
  const consequence = new Map(RULE_INPUTS);
  const warnings: StatusWarning[] = input.missing.map((pointer) => ({
    pointer,
    code: "input_missing",
    message: `absent: ${consequence.get(pointer)}`,
  }));
  if (input.maxMissingRatio !== undefined && missingRatio > input.maxMissingRatio) {
    warnings.push({
      pointer: "/request/data_contract/quality_flags/max_missing_ratio",
      code: "missing_ratio_exceeded",
      message: `${input.missing.length} of ${RULE_INPUTS.length} rule inputs absent (${missingRatio}), over the request's ${input.maxMissingRatio}`,
    });
  }
  if (input.maxStalenessSeconds !== undefined && stalenessSeconds > input.maxStalenessSeconds) {
    warnings.push({
      pointer: "/request/timestamp_utc",
      code: "stale_input",
      message: `the request is ${stalenessSeconds} s old, over its max_staleness_seconds of ${input.maxStalenessSeconds}`,
    });
  }
  return warnings;
}

export function recommend(request: unknown, opts: RecommendOptions): BioCoreResponse {
  const read = readRequest(request);
  if (!read.ok) return invalidResponse(request, read.issues);
  const input = read.input;
  const nowMs = Number.isFinite(opts.now.getTime()) ? opts.now.getTime() : 0;
  const generatedAtUtc = utcSeconds(new Date(nowMs));
  const fingerprint = inputFingerprint(input.document);

  const budget = thermalBudget(input);
  const outcomes: (RuleOutcome | null)[] = [
    coolingSetpointRule(input, budget),
    fanSpeedRule(input, budget),
    hotspotMitigationRule(input),
    workloadShiftRule(input),
  ];
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  for (const o of outcomes) {
    if (!o) continue;
    if ("candidate" in o) candidates.push(o.candidate);
    else notes.push(o.note);
  }
  const selection = select(candidates, input, budget);
  notes.push(...selection.notes);
  const together = togetherNote(selection, budget);
  const recommendations = selection.admitted.map((a, i) =>
    toRecommendation(a, i, input, fingerprint, generatedAtUtc, together),
  );

  const missingRatio = round(input.missing.length / RULE_INPUTS.length, 4);
  const stalenessSeconds = Math.max(0, Math.floor((nowMs - input.timestamp.getTime()) / 1000));
  const stale = input.maxStalenessSeconds !== undefined && stalenessSeconds > input.maxStalenessSeconds;
  const warnings = statusWarnings(input, missingRatio, stalenessSeconds);
  const code = warnings.length > 0 ? "DEGRADED" : "OK";
  const messageParts = [
    code === "DEGRADED"
      ? `${input.missing.length} of ${RULE_INPUTS.length} rule inputs absent${stale ? ", request stale" : ""}.`
      : null,
    recommendations.length === 0 ? "No change recommended." : null,
    notes.length > 0 && (code === "DEGRADED" || recommendations.length === 0) ? `Rules: ${notes.join("; ")}.` : null,
  ].filter(Boolean);

  // The 24 h totals are the sums of the returned recommendations (negative = saving).
  const kwTotal = recommendations.reduce((s, r) => s + r.expected_impact.facility_power_kw_delta, 0);
  const energyKwh = round(kwTotal * HOURS_PER_DAY, 3);
  const summary = {
    confidence: round(CONFIDENCE_MAX * (1 - missingRatio) * (stale ? STALE_CONFIDENCE_FACTOR : 1), 2),
    risk_score: round(selection.riskScore, 3),
    estimated_impact_24h: {
      energy_kwh: energyKwh,
      energy_cost_usd: round(energyKwh * (input.pricePerKwh ?? 0), 3),
      pue_delta: round(
        recommendations.reduce((s, r) => s + r.expected_impact.pue_delta, 0),
        5,
      ),
      co2e_kg: round(
        recommendations.reduce((s, r) => s + r.expected_impact.co2e_kg_per_day_delta, 0),
        3,
      ),
    },
    guardrails: { shadow_read_only_enforced: true, constraints_satisfied: true },
  };

  return {
    schema_version: input.echo.schemaVersion,
    correlation_id: input.echo.correlationId,
    trace: { traceparent: input.echo.traceparent },
    response: {
      request_id: input.echo.requestId,
      idempotency_key: input.echo.idempotencyKey,
      model: { name: MODEL_NAME, version: REFERENCE_VERSION, policy_id: POLICY_ID },
      status: {
        code,
        warnings,
        validation: { schema_valid: true, missing_ratio: missingRatio, staleness_seconds: stalenessSeconds },
        message: messageParts.length > 0 ? messageParts.join(" ").slice(0, 4000) : null,
        retryable: false,
      },
      summary,
      recommendations,
      audit: {
        mode: input.echo.mode,
        no_control_actions_enforced: true,
        latency_ms: 0,
        slo_ms: input.echo.sloMs,
        service_health: "ok",
      },
    },
  };
}
