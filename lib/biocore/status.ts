// The BioCore status panel: health and version (asked live, through the client), the breaker's
// state, and the last hour's calls from the call log (p95 latency, error rate), plus the job queue.
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { bioCore } from "./instance";
import { lastHourCalls } from "./repo/calls";
import { queueStats } from "./repo/jobs";

export const BiocoreStatusSchema = z
  .object({
    engine: z.enum(["reference", "remote"]),
    base_url: z.string(),
    health: z.object({ status: z.string(), checked_at_utc: z.string().nullable(), error: z.string().nullable() }),
    version: z
      .object({
        name: z.string(),
        version: z.string(),
        model_version: z.string(),
        feature_set_version: z.string(),
        policy_id: z.string(),
      })
      .nullable(),
    circuit: z.enum(["closed", "open", "half_open"]),
    last_hour: z
      .object({
        calls: z
          .number()
          .int()
          .meta({ description: "Calls that reached BioCore (not cache hits, not refused by the client)" }),
        errors: z
          .number()
          .int()
          .meta({ description: "BioCore's own failures among them (network, timeout, HTTP error, bad answer)" }),
        error_rate: z.number().nullable().meta({ description: "errors / calls" }),
        rejected: z
          .number()
          .int()
          .meta({ description: "Calls the client refused without contacting BioCore (breaker open, bulkhead full)" }),
        p95_latency_ms: z.number().nullable().meta({ description: "Over the calls that reached BioCore" }),
        stale: z.number().int(),
        cache_hits: z.number().int(),
      })
      .meta({
        description:
          "The last hour of /recommend calls from the call log: BioCore's own errors and the client's rejections apart",
      }),
    queue: z.object({
      pending: z.number().int(),
      running: z.number().int(),
      failed: z.number().int(),
      oldest_pending_seconds: z.number().nullable(),
    }),
  })
  .meta({ id: "BiocoreStatus" });

export async function biocoreStatus(principal: Principal): Promise<z.infer<typeof BiocoreStatusSchema>> {
  const { client, engine, baseUrl } = bioCore();
  const [health, version, [calls], queue] = await Promise.all([
    // Past the breaker's cool-down with no job left to test BioCore, this probe does: a healthy
    // answer closes the breaker (the panel no longer shows it half-open forever).
    client.health({ timeoutMs: 2000, maxRetries: 0, testBreaker: true }),
    client.version({ timeoutMs: 2000, maxRetries: 0 }),
    lastHourCalls(principal),
    // The caller's tenants' jobs only, as every other figure of the panel.
    queueStats(principal.tenantIds.length ? principal.tenantIds : null),
  ]);
  return {
    engine,
    base_url: engine === "reference" ? "built-in reference engine" : new URL(baseUrl).origin,
    health: health.ok
      ? { status: health.value.status, checked_at_utc: health.value.checked_at_utc, error: null }
      : {
          status: healthStatusOf(health.error),
          checked_at_utc: null,
          error: `${health.error.kind}: ${health.error.message}`,
        },
    version: version.ok ? version.value : null,
    circuit: client.state().breaker,
    last_hour: {
      calls: calls!.calls,
      errors: calls!.errors,
      error_rate: calls!.calls ? calls!.errors / calls!.calls : null,
      rejected: calls!.rejected,
      p95_latency_ms: calls!.p95,
      stale: calls!.stale,
      cache_hits: calls!.hits,
    },
    queue: {
      pending: queue.pending,
      running: queue.running,
      failed: queue.failed,
      oldest_pending_seconds: queue.oldestPendingSeconds,
    },
  };
}

/**
 * What a failed health check says about BioCore: it answered with an error status ("unhealthy",
 * it was reachable), answered something that is not a health document ("invalid_answer"), or
 * could not be reached (network, timeout).
 */
function healthStatusOf(error: { kind: string; status?: number }): string {
  if (error.kind === "http") return "unhealthy";
  if (error.kind === "invalid_schema" || error.kind === "response_too_large") return "invalid_answer";
  return "unreachable";
}
