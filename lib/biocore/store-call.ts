// One BioCore call recorded in one transaction: the call row, the answer's recommendations (each
// checked by the pilot's guardrails), and an audit event per recommendation and per call (the
// latter is what the MASS request's timeline shows).
import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/types";
import type { BioCoreResponse } from "./contract";
import { checkGuardrails } from "./guardrails";
import { insertCall, type CallSummary } from "./repo/calls";
import { completeJob, holdsClaim } from "./repo/jobs";
import { insertRecommendation } from "./repo/recommendations";
import { inTransaction } from "./repo/transaction";

export type { CallSummary };

export type StoredCall = { callId: string; recommendations: number; actionable: number };

/** The job's claim was lost before its call could be stored (lib/biocore/repo/jobs.ts holdsClaim): nothing was stored. */
export class ClaimLostError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId}: its claim was lost (lease ran out or handed back); the answer is not stored`);
    this.name = "ClaimLostError";
  }
}

export async function storeCall(input: {
  massRequest: { id: string; tenantId: string; siteId: string | null; clusterId: string | null; zoneId: string | null };
  jobId: string | null;
  request: unknown;
  call: CallSummary;
  response: BioCoreResponse | null;
  actor?: AuditActor;
  /**
   * The worker's claim on `jobId`: checked first (a lost claim stores nothing: ClaimLostError), and
   * with `complete`, the job is done in the same transaction — a worker that dies right after the
   * commit leaves no job that a takeover would ask BioCore about again and store twice.
   */
  claim?: { workerId: string; complete: boolean };
}): Promise<StoredCall> {
  const { massRequest: m, call, response } = input;
  const actor = input.actor ?? { ...SYSTEM_ACTOR, label: "recommendation worker" };
  const check = response ? checkGuardrails(input.request, response) : null;
  return inTransaction(async (tx) => {
    if (input.claim && input.jobId && !(await holdsClaim(tx, input.jobId, input.claim.workerId)))
      throw new ClaimLostError(input.jobId);
    const row = await insertCall(tx, {
      massRequest: m,
      jobId: input.jobId,
      call,
      response,
      guardrails: check,
    });
    let actionable = 0;
    const recs = response?.response.recommendations ?? [];
    for (const rec of recs) {
      const violations = [...(check?.answer ?? []), ...(check?.perRecommendation[rec.rec_id] ?? [])];
      const ok = violations.length === 0 && call.outcome !== "stale";
      if (ok) actionable++;
      const created = await insertRecommendation(tx, {
        massRequest: m,
        callId: row.id,
        rec,
        model: response!.response.model,
        stale: call.outcome === "stale",
        actionable: ok,
        violations,
        energyKwh24h: rec.expected_impact.facility_power_kw_delta * 24,
      });
      await recordAudit(tx, {
        actor,
        action: "recommendation.create",
        targetType: "recommendation",
        targetId: created.id,
        tenantId: m.tenantId,
        biocoreVersion: `${response!.response.model.name} ${response!.response.model.version} (${response!.response.model.policy_id})`,
        inputs: {
          mass_request_id: m.id,
          input_fingerprint: rec.trace.input_fingerprint,
          feature_set_version: rec.trace.feature_set_version,
          decision_id: rec.trace.decision_id,
          request_key: call.requestKey,
        },
        outputs: {
          rec_id: rec.rec_id,
          category: rec.category,
          actionable: ok,
          violations,
          stale: call.outcome === "stale",
          trace_id: call.traceId,
        },
      });
    }
    await recordAudit(tx, {
      actor,
      action: "biocore.call",
      result: call.outcome === "error" ? "error" : "ok",
      targetType: "mass_request",
      targetId: m.id,
      tenantId: m.tenantId,
      biocoreVersion: response ? `${response.response.model.name} ${response.response.model.version}` : null,
      inputs: { engine: call.engine, request_key: call.requestKey, job_id: input.jobId },
      outputs: {
        call_id: row.id,
        outcome: call.outcome,
        attempts: call.attempts,
        latency_ms: Math.round(call.latencyMs),
        http_status: call.httpStatus,
        cache: call.cache,
        breaker: call.breakerState,
        error: call.errorKind,
        recommendations: recs.length,
        actionable,
      },
    });
    if (input.claim?.complete && input.jobId) await completeJob(input.jobId, input.claim.workerId, tx);
    return { callId: row.id, recommendations: recs.length, actionable };
  });
}
