// The BioCore call log in the database: one row per call (answered, cached, stale or failed), the
// call log of a MASS request, and the last hour's figures of the status panel.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { db, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { BioCoreResponse } from "../contract";
import type { GuardrailCheck } from "../guardrails";

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

/** The call row, in the transaction that stores its recommendations (lib/biocore/store-call.ts). */
export function insertCall(
  tx: Tx,
  input: {
    massRequest: { id: string; tenantId: string };
    jobId: string | null;
    call: CallSummary;
    response: BioCoreResponse | null;
    guardrails: GuardrailCheck | null;
  },
): Promise<{ id: string }> {
  const { massRequest: m, call, response } = input;
  return tx.biocoreCall.create({
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
      guardrails: (input.guardrails ?? undefined) as Prisma.InputJsonValue | undefined,
      traceparent: call.traceparent,
      traceId: call.traceId,
    },
    select: { id: true },
  });
}

/** The calls made for a MASS request, newest first (the call log of a recommendation's request). */
export function listCallsForRequest(massRequestId: string) {
  return db().biocoreCall.findMany({ where: { massRequestId }, orderBy: { startedAt: "desc" }, take: 50 });
}

export type LastHourCalls = {
  calls: number;
  errors: number;
  rejected: number;
  p95: number | null;
  stale: number;
  hits: number;
};

/** The last hour of /recommend calls of the principal's tenants (one row): reached, failed, refused, p95, stale, cache hits. */
export function lastHourCalls(principal: Principal) {
  const tenant = principal.tenantIds.length ? Prisma.sql`and tenant_id = any(${principal.tenantIds})` : Prisma.empty;
  return db().$queryRaw<LastHourCalls[]>`
      select count(*) filter (where reached)::int as calls,
             count(*) filter (where reached and error_kind is not null)::int as errors,
             count(*) filter (where error_kind in ('circuit_open', 'bulkhead_full'))::int as rejected,
             (percentile_cont(0.95) within group (order by latency_ms) filter (where reached))::float8 as p95,
             count(*) filter (where outcome = 'stale')::int as stale,
             count(*) filter (where outcome = 'cache_hit')::int as hits
        from (select c.*, c.outcome <> 'cache_hit' and c.error_kind is distinct from 'circuit_open' and c.error_kind is distinct from 'bulkhead_full' as reached
                from biocore_call c where c.started_at > now() - interval '1 hour' ${tenant}) c`;
}
