// The BioCore status panel: health and version (asked live, through the client), the breaker's
// state, and the last hour's calls from the call log (p95 latency, error rate), plus the job queue.
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { bioCore } from "./instance";
import { queueStats } from "./jobs";

export const BiocoreStatusSchema = z
  .object({
    engine: z.enum(["reference", "remote"]),
    base_url: z.string(),
    health: z.object({ status: z.string(), checked_at_utc: z.string().nullable(), error: z.string().nullable() }),
    version: z.object({ name: z.string(), version: z.string(), model_version: z.string(), feature_set_version: z.string(), policy_id: z.string() }).nullable(),
    circuit: z.enum(["closed", "open", "half_open"]),
    last_hour: z.object({ calls: z.number().int(), errors: z.number().int(), error_rate: z.number().nullable(), p95_latency_ms: z.number().nullable(), stale: z.number().int(), cache_hits: z.number().int() }),
    queue: z.object({ pending: z.number().int(), running: z.number().int(), failed: z.number().int(), oldest_pending_seconds: z.number().nullable() }),
  })
  .meta({ id: "BiocoreStatus" });

export async function biocoreStatus(principal: Principal): Promise<z.infer<typeof BiocoreStatusSchema>> {
  const { client, engine, baseUrl } = bioCore();
  const tenant = principal.tenantIds.length ? Prisma.sql`and tenant_id = any(${principal.tenantIds})` : Prisma.empty;
  const [health, version, [calls], queue] = await Promise.all([
    client.health({ timeoutMs: 2000, maxRetries: 0 }),
    client.version({ timeoutMs: 2000, maxRetries: 0 }),
    db().$queryRaw<{ calls: number; errors: number; p95: number | null; stale: number; hits: number }[]>`
      select count(*)::int as calls,
             count(*) filter (where outcome = 'error')::int as errors,
             percentile_cont(0.95) within group (order by latency_ms)::float8 as p95,
             count(*) filter (where outcome = 'stale')::int as stale,
             count(*) filter (where outcome = 'cache_hit')::int as hits
        from biocore_call where started_at > now() - interval '1 hour' ${tenant}`,
    queueStats(),
  ]);
  return {
    engine,
    base_url: engine === "reference" ? "built-in reference engine" : new URL(baseUrl).origin,
    health: health.ok ? { status: health.value.status, checked_at_utc: health.value.checked_at_utc, error: null } : { status: "unreachable", checked_at_utc: null, error: `${health.error.kind}: ${health.error.message}` },
    version: version.ok ? version.value : null,
    circuit: client.state().breaker,
    last_hour: { calls: calls!.calls, errors: calls!.errors, error_rate: calls!.calls ? calls!.errors / calls!.calls : null, p95_latency_ms: calls!.p95, stale: calls!.stale, cache_hits: calls!.hits },
    queue: { pending: queue.pending, running: queue.running, failed: queue.failed, oldest_pending_seconds: queue.oldestPendingSeconds },
  };
}
