// Client options from the validated environment (lib/env.ts), so the app builds its one client
// from configuration only.
import type { Env } from "@/lib/env";
import type { BioCoreClientOptions } from "./types";

export type BioCoreEnv = Pick<
  Env,
  | "BIOCORE_URL"
  | "BIOCORE_TOKEN"
  | "BIOCORE_TIMEOUT_MS"
  | "BIOCORE_BREAKER_FAILURES"
  | "BIOCORE_BREAKER_COOLDOWN_MS"
  | "BIOCORE_MAX_CONCURRENT"
>;

/** `fallbackBaseUrl`: where to call when BIOCORE_URL is unset (the built-in reference engine). */
export function clientOptionsFromEnv(e: BioCoreEnv, fallbackBaseUrl: string): BioCoreClientOptions {
  return {
    baseUrl: e.BIOCORE_URL ?? fallbackBaseUrl,
    timeoutMs: e.BIOCORE_TIMEOUT_MS,
    token: e.BIOCORE_TOKEN || undefined,
    breaker: { consecutiveFailures: e.BIOCORE_BREAKER_FAILURES, halfOpenAfterMs: e.BIOCORE_BREAKER_COOLDOWN_MS },
    maxConcurrent: e.BIOCORE_MAX_CONCURRENT,
  };
}
