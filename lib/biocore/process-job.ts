// One job: build the BioCore request of a stored MASS request, call BioCore through the client,
// and store the call and its recommendations. Returns whether the job is done or should be retried.
import "server-only";
import { isSpanContextValid, SpanStatusCode, trace } from "@opentelemetry/api";
import { contextOfTraceparent, traced } from "@/lib/observability/tracing";
import type { RecommendOutcome } from "./client";
import { allowsStale } from "./client/call-error";
import type { BioCoreResponse } from "./contract";
import { bioCore } from "./instance";
import { loadMassForJob, type MassForJob } from "./repo/mass";
import { biocoreRequestOf } from "./request-of";
import { ClaimLostError, storeCall } from "./store-call";

/**
 * `outage`: BioCore down, slow or misbehaving (network, timeout, 5xx, 429, a bad answer, the breaker
 * open): the job waits for BioCore however long that takes and never fails for it. Otherwise BioCore
 * refused the request (a 4xx): attempts run out. `notCalled`: BioCore was never contacted (breaker
 * open, bulkhead full), so the attempt is not counted.
 */
export type JobResult =
  | { done: true; note: string }
  | { done: false; error: string; retryAfterMs?: number; outage: boolean; notCalled: boolean };

const VERSION_TTL_MS = 3_600_000;
const versionState = globalThis as unknown as { pibBioCoreVersionAt?: number };

/** Asks /version about once an hour, so every call record names the BioCore that answered. */
async function refreshVersion(client: ReturnType<typeof bioCore>["client"]): Promise<void> {
  const at = versionState.pibBioCoreVersionAt ?? 0;
  if (Date.now() - at < VERSION_TTL_MS) return;
  versionState.pibBioCoreVersionAt = Date.now();
  const probe = await client.version({ maxRetries: 0, timeoutMs: 2000 });
  if (!probe.ok) versionState.pibBioCoreVersionAt = at; // try again with the next job
}

/** `workerId`: the claim the job is held under (its answer is stored, and the job done, only while it holds). */
export async function processJob(job: { id: string; mass_request_id: string }, workerId?: string): Promise<JobResult> {
  const loaded = await loadMassForJob(job.mass_request_id);
  if (!loaded || loaded.m.deletedAt) return { done: true, note: "the MASS request no longer exists" };
  const { m, observation } = loaded;
  const request = biocoreRequestOf({ ...m, kind: m.kind }, observation);
  if (!request) return { done: true, note: "a MASS Simple request without signals: nothing to ask" };
  const timeoutMs =
    typeof (request.request as { timeout_ms?: unknown } | undefined)?.timeout_ms === "number"
      ? (request.request as { timeout_ms: number }).timeout_ms
      : undefined;
  const { client, engine } = bioCore();
  await refreshVersion(client);
  // The call continues the MASS request's trace: its span's parent is the request's traceparent,
  // and the client sends this span's traceparent on to BioCore.
  const attributes = { "pib.mass_request_id": m.id, "pib.job_id": job.id, "pib.biocore.engine": engine };
  return traced(
    "biocore.recommend",
    attributes,
    () => callAndStore({ job, workerId, m, request, timeoutMs, client, engine }),
    { parent: contextOfTraceparent(m.traceparent) ?? undefined },
  );
}

/**
 * The trace a call belongs to: the one it sent to BioCore; else (a cache hit or a rejection: nothing
 * was sent) the call span's, which continues the MASS request's trace; else the request's own.
 */
function callTraceId(sent: string | null, massTraceparent: string | null): string | null {
  const traceIdOf = (traceparent: string | null) => traceparent?.split("-")[1] ?? null;
  const span = trace.getActiveSpan()?.spanContext();
  return traceIdOf(sent) ?? (span && isSpanContextValid(span) ? span.traceId : null) ?? traceIdOf(massTraceparent);
}

async function callAndStore({
  job,
  workerId,
  m,
  request,
  timeoutMs,
  client,
  engine,
}: {
  job: { id: string };
  workerId: string | undefined;
  m: MassForJob;
  request: Record<string, unknown>;
  timeoutMs: number | undefined;
  client: ReturnType<typeof bioCore>["client"];
  engine: "reference" | "remote";
}): Promise<JobResult> {
  const outcome: RecommendOutcome = await client.recommend(request, { timeoutMs });
  trace.getActiveSpan()?.setAttributes({
    "pib.biocore.outcome": outcome.call.outcome,
    "pib.biocore.attempts": outcome.call.attempt_count,
    "pib.biocore.cache": outcome.call.cache,
  });
  const c = outcome.call;
  const response: BioCoreResponse | null = outcome.ok ? outcome.response : null;
  const error = outcome.ok ? (outcome.stale ? outcome.error : null) : outcome.error;
  try {
    await storeCall({
      massRequest: m,
      jobId: job.id,
      claim: workerId ? { workerId, complete: outcome.ok } : undefined,
      request,
      response,
      call: {
        engine,
        startedAt: new Date(c.started_at),
        latencyMs: c.latency_ms,
        attempts: c.attempt_count,
        attemptLog: c.attempts,
        outcome: c.outcome,
        httpStatus: c.http_status,
        breakerState: c.breaker_state,
        cache: c.cache,
        cacheAgeSeconds: outcome.ok ? Math.round(outcome.ageSeconds) : null,
        requestKey: c.request_key ?? "",
        biocoreVersion: c.biocore_version,
        errorKind: error?.kind ?? null,
        errorMessage: error?.message ?? null,
        traceparent: c.traceparent,
        traceId: callTraceId(c.traceparent, m.traceparent),
      },
    });
  } catch (error) {
    if (!(error instanceof ClaimLostError)) throw error;
    // Another worker holds the job now (or it went back to the queue): its answer will be stored.
    return { done: true, note: "claim lost: the job is another worker's now" };
  }
  if (outcome.ok)
    return { done: true, note: outcome.stale ? `stale answer (${error?.kind})` : `answered (${outcome.cache})` };
  const e = outcome.error;
  // The call failed (BioCore down or refusing, the breaker open): the span says so, not "unset".
  trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: `${e.kind}: ${e.message}` });
  return {
    done: false,
    error: `${e.kind}: ${e.message}`,
    outage: allowsStale(e),
    notCalled: e.kind === "circuit_open" || e.kind === "bulkhead_full",
  };
}
