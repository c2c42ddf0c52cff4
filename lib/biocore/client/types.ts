// What the BioCore client answers and records. Outcomes are values, never exceptions: a BioCore
// problem is something the worker stores and shows, not a crash.
import type { BioCoreResponse } from "../contract";

export type BreakerState = "closed" | "open" | "half_open";

export type CallErrorKind =
  | "timeout" // an attempt or the whole call ran out of time
  | "network" // connection refused/reset, DNS, TLS, a body cut short
  | "http" // a non-2xx status (see `status`)
  | "invalid_json" // a 2xx whose body is not JSON
  | "invalid_schema" // JSON that does not match the MASS v1.1 §3 schema
  | "response_too_large" // a body over `maxResponseBytes`
  | "circuit_open" // the breaker refused the call; BioCore was not contacted
  | "bulkhead_full" // too many calls in flight and queued
  | "aborted"; // the caller's AbortSignal fired

export interface CallError {
  kind: CallErrorKind;
  status?: number;
  message: string;
}

export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  /** HTTP status, when an answer arrived. */
  status?: number;
  error?: CallErrorKind;
  /** Wait before this attempt (0 for the first). */
  delay_ms: number;
  latency_ms: number;
}

/** Everything the app stores per call. Never holds the payload, the token or the answer itself. */
export interface CallRecord {
  endpoint: "/recommend" | "/health" | "/version";
  started_at: string;
  latency_ms: number;
  attempt_count: number;
  attempts: AttemptRecord[];
  outcome: "ok" | "stale" | "error" | "cache_hit";
  /** The last HTTP status seen during this call, null when none arrived (or a cache hit). */
  http_status: number | null;
  breaker_state: BreakerState;
  cache: "miss" | "hit" | "stale" | "bypass";
  /** `name version` from the last successful `version()` of this client, null before one. */
  biocore_version: string | null;
  /** The model that produced the served answer (`response.model`), null when none was served. */
  model: { name: string; version: string; policy_id: string } | null;
  model_version: string | null;
  /** The cache key (SHA-256 hex), null for /health and /version. */
  request_key: string | null;
  traceparent: string | null;
  error: CallError | null;
}

export type RecommendOutcome =
  | { ok: true; stale: false; cache: "miss" | "hit"; response: BioCoreResponse; ageSeconds: number; call: CallRecord }
  /** BioCore failed or the circuit is open: the last good answer for this key, with why and how old. */
  | {
      ok: true;
      stale: true;
      cache: "stale";
      response: BioCoreResponse;
      ageSeconds: number;
      error: CallError;
      call: CallRecord;
    }
  | { ok: false; stale: false; error: CallError; call: CallRecord };

export type ProbeOutcome<T> =
  { ok: true; value: T; call: CallRecord } | { ok: false; error: CallError; call: CallRecord };

export interface ClientState {
  breaker: BreakerState;
  consecutiveFailures: number;
  cacheEntries: number;
  inFlight: number;
  queued: number;
}

export type ClientEvent =
  | { type: "breaker"; state: BreakerState }
  | { type: "retry"; endpoint: CallRecord["endpoint"]; attempt: number; delay_ms: number; error: CallError }
  | { type: "call"; call: CallRecord };

export interface BioCoreClientOptions {
  /** BIOCORE_URL. Only configuration steers where the client connects; no request field does. */
  baseUrl: string;
  /** BIOCORE_TIMEOUT_MS: the longest one attempt may take (headers and body). */
  timeoutMs: number;
  /** Whole-call budget (queueing, attempts, backoff, Retry-After). Default 4 × timeoutMs. */
  totalTimeoutMs?: number;
  /** Retries after the first attempt, 0–3. Default 3. */
  maxRetries?: number;
  /** Full-jitter exponential backoff. Default { initialMs: 100, maxMs: 2000 }. */
  backoff?: { initialMs: number; maxMs: number };
  /** A Retry-After longer than this (or than the remaining budget) ends the call. Default 10 s. */
  maxRetryAfterMs?: number;
  breaker?: {
    /** Open after this many failures in a row. Default 5 (BIOCORE_BREAKER_FAILURES). */
    consecutiveFailures: number;
    /** Let one trial call through after this long open. Default 30 s (BIOCORE_BREAKER_COOLDOWN_MS). */
    halfOpenAfterMs: number;
    /** Also open when more than `threshold` of the last `windowSize` calls failed. Default 0.5 of 20, at least 10 calls; null disables. */
    failureRate?: { threshold: number; windowSize: number; minimumCalls?: number } | null;
  };
  /** Bulkhead: concurrent calls. Default 8 (BIOCORE_MAX_CONCURRENT). */
  maxConcurrent?: number;
  /** Bulkhead: calls waiting for a slot before `bulkhead_full`. Default 2 × maxConcurrent. */
  maxQueued?: number;
  cache?: {
    /** LRU bound. Default 500. */
    maxEntries: number;
    /** Oldest answer served as stale. Default 3600 s. */
    maxStaleSeconds?: number;
  };
  /** Largest response body read. Default 1 MiB. */
  maxResponseBytes?: number;
  /** BIOCORE_TOKEN, sent as `Authorization: Bearer`. */
  token?: string;
  /** Wall clock for `started_at` and cache ages (epoch ms). Default Date.now. */
  now?: () => number;
  /** [0, 1) source for backoff jitter. Default Math.random. */
  random?: () => number;
  fetchImpl?: typeof fetch;
  /** Telemetry hook; the client itself never logs. Exceptions thrown by it are ignored. */
  onEvent?: (event: ClientEvent) => void;
}

export interface RecommendOptions {
  /** The request's `timeout_ms`; an attempt gets min(this, options.timeoutMs). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** W3C traceparent to send; default: from the active OpenTelemetry span, if any. */
  traceparent?: string;
  /** Fewer retries for this call (e.g. a status page's probe); never more than the client's. */
  maxRetries?: number;
}

/** /health and /version take the same per-call options. */
export type ProbeOptions = RecommendOptions & {
  /**
   * When the breaker's cool-down is over (half-open) and no call has tested BioCore yet, send this
   * probe through the breaker: a success closes it, a failure opens it again. Otherwise probes go
   * around the breaker (they see BioCore as it is, and never trip it).
   */
  testBreaker?: boolean;
};
