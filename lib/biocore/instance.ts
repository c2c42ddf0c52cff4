// The one BioCore client of this process, configured from the environment. Without BIOCORE_URL it
// talks to the built-in reference engine served by this same app, through the same client (timeouts,
// retries, breaker, cache), so the demo exercises the real path: in the web server, its own
// /api/biocore-reference routes; in the worker process (scripts/worker.ts), the loopback server
// that process starts itself (lib/biocore/reference-server.ts), named here before the client is made.
import "server-only";
import { trace } from "@opentelemetry/api";
import { env, setting } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { clientOptionsFromEnv, createBioCoreClient, type BioCoreClient, type ClientEvent } from "./client";

const state = globalThis as unknown as {
  pibBioCore?: { client: BioCoreClient; engine: "reference" | "remote"; baseUrl: string };
  pibReferenceBaseUrl?: string;
};

/** Where this process reaches the reference engine: its own server if it named one, else the web server's routes. */
export function referenceBaseUrl(): string {
  if (state.pibReferenceBaseUrl) return state.pibReferenceBaseUrl;
  const port = setting("PORT");
  const listening = setting("HOST");
  const host = listening === "" || listening === "0.0.0.0" || listening === "::" ? "127.0.0.1" : listening;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/biocore-reference`;
}

/**
 * This process serves the reference engine itself, at `baseUrl`: without BIOCORE_URL its client
 * calls there. Only before the client is first made (it is made once, with its base URL).
 */
export function setReferenceBaseUrl(baseUrl: string): void {
  if (state.pibBioCore)
    throw new Error("the BioCore client already exists: name the reference engine's address before its first use");
  state.pibReferenceBaseUrl = baseUrl;
}

/** Metrics for every /recommend call, and each retry as an event on the active (BioCore call) span. */
function observeClientEvent(event: ClientEvent): void {
  if (event.type === "retry") {
    trace.getActiveSpan()?.addEvent("biocore.retry", {
      attempt: event.attempt,
      delay_ms: event.delay_ms,
      error: event.error.kind,
      ...(event.error.status ? { status: event.error.status } : {}),
    });
    return;
  }
  if (event.type !== "call" || event.call.endpoint !== "/recommend") return;
  const m = metrics();
  m.biocoreCalls.inc({ outcome: event.call.outcome });
  m.biocoreDuration.observe({ outcome: event.call.outcome }, event.call.latency_ms / 1000);
  m.biocoreAttempts.inc(event.call.attempt_count);
  m.biocoreCache.inc({ result: event.call.cache });
}

export function bioCore(): { client: BioCoreClient; engine: "reference" | "remote"; baseUrl: string } {
  if (state.pibBioCore) return state.pibBioCore;
  const e = env();
  const options = { ...clientOptionsFromEnv(e, referenceBaseUrl()), onEvent: observeClientEvent };
  const baseUrl = options.baseUrl;
  const client = createBioCoreClient(options);
  state.pibBioCore = { client, engine: e.BIOCORE_URL ? "remote" : "reference", baseUrl };
  return state.pibBioCore;
}
