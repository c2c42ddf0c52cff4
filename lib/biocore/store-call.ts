// One BioCore call recorded in one transaction: the call row, the answer's recommendations (each
// checked by the pilot's guardrails), and an audit event per recommendation and per call (the
// latter is what the MASS request's timeline shows).
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/types";
import { db } from "@/lib/db";
import type { BioCoreResponse } from "./contract";
import { checkGuardrails } from "./guardrails";
import { completeJob, holdsClaim } from "./jobs";

export type CallSummary = {
  engine: "reference" | "remote";
  startedAt: Date;
  latencyMs: number;
  attempts: number;
  attemptLog: unknown[];
  outcome: "ok" | "cache_hit" | "stale" | "error";
  httpStatus: number | null;
  breakerState: string;
  cache: string;
  cacheAgeSeconds: number | null;
  requestKey: string;
  /** "name version" from BioCore's /version. */
  biocoreVersion: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  traceparent: string | null;
  traceId: string | null;
};

export type StoredCall = { callId: string; recommendations: number; actionable: number };

/** The job's claim was lost before its call could be stored (lib/biocore/jobs.ts holdsClaim): nothing was stored. */
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
  return db().$transaction(async (tx) => {
    if (input.claim && input.jobId && !(await holdsClaim(tx, input.jobId, input.claim.workerId)))
      throw new ClaimLostError(input.jobId);
    const row = await tx.biocoreCall.create({
      data: {
        massRequestId: m.id,
        jobId: input.jobId,
        tenantId: m.tenantId,
        engine: call.engine,
        startedAt: call.startedAt,
        latencyMs: Math.round(call.latencyMs),
        attempts: call.attempts,
        attemptLog: call.attemptLog as Prisma.InputJsonValue,
        outcome: call.outcome,
        httpStatus: call.httpStatus,
        breakerState: call.breakerState,
        cache: call.cache,
        cacheAgeSeconds: call.cacheAgeSeconds,
        requestKey: call.requestKey,
        errorKind: call.errorKind,
        errorMessage: call.errorMessage?.slice(0, 1000) ?? null,
        biocoreVersion: call.biocoreVersion,
        modelName: response?.response.model.name ?? null,
        modelVersion: response?.response.model.version ?? null,
        policyId: response?.response.model.policy_id ?? null,
        statusCode: response?.response.status.code ?? null,
        summary: (response?.response.summary ?? undefined) as Prisma.InputJsonValue | undefined,
        guardrails: (check ?? undefined) as Prisma.InputJsonValue | undefined,
        traceparent: call.traceparent,
        traceId: call.traceId,
      },
      select: { id: true },
    });
    let actionable = 0;
    const recs = response?.response.recommendations ?? [];
    for (const rec of recs) {
      const violations = [...(check?.answer ?? []), ...(check?.perRecommendation[rec.rec_id] ?? [])];
      const ok = violations.length === 0 && call.outcome !== "stale";
      if (ok) actionable++;
      const created = await tx.recommendation.create({
        data: {
          massRequestId: m.id,
          callId: row.id,
          tenantId: m.tenantId,
          siteId: m.siteId,
          clusterId: m.clusterId,
          zoneId: m.zoneId,
          recId: rec.rec_id,
          priority: rec.priority,
          category: rec.category,
          action: rec.action as Prisma.InputJsonValue,
          expectedImpact: rec.expected_impact as Prisma.InputJsonValue,
          explainability: rec.explainability as Prisma.InputJsonValue,
          trace: rec.trace as Prisma.InputJsonValue,
          modelName: response!.response.model.name,
          modelVersion: response!.response.model.version,
          policyId: response!.response.model.policy_id,
          stale: call.outcome === "stale",
          actionable: ok,
          violations: violations as Prisma.InputJsonValue,
          energyKwh24h: rec.expected_impact.facility_power_kw_delta * 24,
        },
        select: { id: true },
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
