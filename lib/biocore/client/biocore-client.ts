// The one BioCore client of a process (MASS v1.1 §3). Calls pass, outermost first, through a
// bulkhead, retries with full-jitter backoff, a circuit breaker and a per-attempt timeout (all
// cockatiel), and every answer through the contract's zod schema. /recommend answers are cached
// by request key as Cache-Control allows, and the last good one stands in, marked stale, while
// BioCore fails. Nothing here throws for a BioCore problem or logs: outcomes are values.
import "server-only";
import {
  BulkheadPolicy,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  DelegateBackoff,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IBreaker,
  type IRetryBackoffContext,
} from "cockatiel";
import type { z } from "zod";
import {
  BioCoreHealthSchema,
  BioCoreResponseSchema,
  BioCoreVersionSchema,
  type BioCoreHealth,
  type BioCoreResponse,
  type BioCoreVersion,
} from "../contract";
import { fullJitterDelayMs, type BackoffSettings } from "./backoff";
import { requestCacheKey } from "./cache-key";
import { parseCacheControl } from "./cache-control";
import { BioCoreCallError, allowsStale, cancelled, classify, isBreakerFailure, isRetryable } from "./call-error";
import { raceAbort, startDeadline, type Deadline } from "./deadline";
import { EitherBreaker } from "./either-breaker";
import { sendAttempt, type AttemptAnswer } from "./http-attempt";
import { ResponseCache } from "./response-cache";
import { traceHeaders } from "./traceparent";
import type {
  AttemptRecord,
  BioCoreClientOptions,
  BreakerState,
  CallError,
  CallRecord,
  ClientEvent,
  ClientState,
  ProbeOptions,
  ProbeOutcome,
  RecommendOptions,
  RecommendOutcome,
} from "./types";

export const DEFAULTS = {
  maxRetries: 3,
  backoff: { initialMs: 100, maxMs: 2000 },
  maxRetryAfterMs: 10_000,
  breaker: {
    consecutiveFailures: 5,
    halfOpenAfterMs: 30_000,
    failureRate: { threshold: 0.5, windowSize: 20, minimumCalls: 10 },
  },
  maxConcurrent: 8,
  cache: { maxEntries: 500, maxStaleSeconds: 3600 },
  maxResponseBytes: 1_048_576,
  totalTimeoutFactor: 4,
} as const;

/** Statuses whose answers are worth reusing; the others are returned but never cached. */
const GOOD_STATUS = new Set(["OK", "DEGRADED"]);
const USER_AGENT = "pilot-in-a-box-biocore-client/1";

type Endpoint = CallRecord["endpoint"];
interface CallSpec<T> {
  endpoint: Endpoint;
  method: "GET" | "POST";
  body?: string;
  schema: z.ZodType<T>;
  /** /health and /version are probes: they neither trip nor wait for the breaker. */
  useBreaker: boolean;
}
interface CallResult<T> {
  answer?: AttemptAnswer<T>;
  error?: CallError;
  attempts: AttemptRecord[];
  traceparent: string | null;
  latencyMs: number;
}

export class BioCoreClient {
  private readonly urls: Record<Endpoint, string>;
  private readonly timeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffSettings;
  private readonly maxRetryAfterMs: number;
  private readonly halfOpenAfterMs: number;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly maxResponseBytes: number;
  private readonly token?: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly onEvent?: (event: ClientEvent) => void;

  private readonly consecutive: ConsecutiveBreaker;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly cache: ResponseCache;
  private openedAtMs: number | null = null;
  private lastVersion: string | null = null;

  constructor(options: BioCoreClientOptions) {
    const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new RangeError("baseUrl must be http(s)");
    this.urls = {
      "/recommend": new URL("recommend", base).toString(),
      "/health": new URL("health", base).toString(),
      "/version": new URL("version", base).toString(),
    };
    this.timeoutMs = positive(options.timeoutMs, "timeoutMs");
    this.totalTimeoutMs = positive(
      options.totalTimeoutMs ?? this.timeoutMs * DEFAULTS.totalTimeoutFactor,
      "totalTimeoutMs",
    );
    this.maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0 || this.maxRetries > 3)
      throw new RangeError("maxRetries must be 0–3");
    this.backoff = options.backoff ?? DEFAULTS.backoff;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
    this.maxConcurrent = positive(options.maxConcurrent ?? DEFAULTS.maxConcurrent, "maxConcurrent");
    this.maxQueued = options.maxQueued ?? this.maxConcurrent * 2;
    this.maxResponseBytes = positive(options.maxResponseBytes ?? DEFAULTS.maxResponseBytes, "maxResponseBytes");
    this.token = options.token;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    // Looked up per call, so an instrumented global fetch (OpenTelemetry, Next) installed later is used.
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.onEvent = options.onEvent;

    const breakerOptions = options.breaker ?? DEFAULTS.breaker;
    this.halfOpenAfterMs = positive(breakerOptions.halfOpenAfterMs, "breaker.halfOpenAfterMs");
    this.consecutive = new ConsecutiveBreaker(
      positive(breakerOptions.consecutiveFailures, "breaker.consecutiveFailures"),
    );
    const rate = breakerOptions.failureRate === undefined ? DEFAULTS.breaker.failureRate : breakerOptions.failureRate;
    const parts: IBreaker[] = [this.consecutive];
    if (rate)
      parts.push(
        new CountBreaker({
          threshold: rate.threshold,
          size: rate.windowSize,
          minimumNumberOfCalls: rate.minimumCalls ?? rate.windowSize,
        }),
      );
    this.breaker = circuitBreaker(handleWhen(isBreakerFailure), {
      halfOpenAfter: this.halfOpenAfterMs,
      breaker: new EitherBreaker(parts),
    });
    this.breaker.onBreak(() => {
      this.openedAtMs = Date.now(); // cockatiel times the cool-down with Date.now too
    });
    this.breaker.onStateChange(() => this.emit({ type: "breaker", state: this.breakerState() }));
    this.bulkhead = bulkhead(this.maxConcurrent, this.maxQueued);

    const cache = options.cache ?? DEFAULTS.cache;
    this.cache = new ResponseCache(cache.maxEntries, (cache.maxStaleSeconds ?? DEFAULTS.cache.maxStaleSeconds) * 1000);
  }

  /** POST /recommend with the normalized enterprise request. Never throws for BioCore problems. */
  async recommend(request: unknown, opts: RecommendOptions = {}): Promise<RecommendOutcome> {
    const startedMs = this.now();
    const key = requestCacheKey(request);
    const fresh = this.cache.fresh(key, startedMs);
    if (fresh) {
      const call = this.record("/recommend", startedMs, {
        outcome: "cache_hit",
        cache: "hit",
        latencyMs: 0,
        key,
        response: fresh.response,
      });
      return this.done<RecommendOutcome>({
        ok: true,
        stale: false,
        cache: "hit",
        response: fresh.response,
        ageSeconds: ageSeconds(fresh.storedAtMs, startedMs),
        call,
      });
    }

    const result = await this.call(
      {
        endpoint: "/recommend",
        method: "POST",
        body: JSON.stringify(request),
        schema: BioCoreResponseSchema,
        useBreaker: true,
      },
      opts,
    );
    const endMs = this.now();
    if (result.answer) {
      const response = result.answer.value;
      const policy = parseCacheControl(result.answer.cacheControl);
      // no-store: the answer is neither kept nor may an older one for this key stand in later.
      if (policy.noStore) this.cache.delete(key);
      else if (GOOD_STATUS.has(response.response.status.code))
        this.cache.store(key, response, endMs, policy.maxAgeSeconds);
      const call = this.record("/recommend", startedMs, { outcome: "ok", cache: "miss", key, result, response });
      return this.done<RecommendOutcome>({ ok: true, stale: false, cache: "miss", response, ageSeconds: 0, call });
    }

    const error = result.error ?? { kind: "network", message: "no answer" };
    const stale = allowsStale(error) ? this.cache.stale(key, endMs) : undefined;
    if (stale) {
      const call = this.record("/recommend", startedMs, {
        outcome: "stale",
        cache: "stale",
        key,
        result,
        response: stale.response,
        error,
      });
      return this.done<RecommendOutcome>({
        ok: true,
        stale: true,
        cache: "stale",
        response: stale.response,
        ageSeconds: ageSeconds(stale.storedAtMs, endMs),
        error,
        call,
      });
    }
    const call = this.record("/recommend", startedMs, { outcome: "error", cache: "miss", key, result, error });
    return this.done<RecommendOutcome>({ ok: false, stale: false, error, call });
  }

  /** GET /health, uncached, outside the breaker (a probe must see BioCore as it is). */
  health(opts: ProbeOptions = {}): Promise<ProbeOutcome<BioCoreHealth>> {
    return this.probe("/health", BioCoreHealthSchema, opts);
  }

  /** GET /version, uncached, outside the breaker; a success also labels later call records. */
  async version(opts: ProbeOptions = {}): Promise<ProbeOutcome<BioCoreVersion>> {
    const outcome = await this.probe("/version", BioCoreVersionSchema, opts);
    if (outcome.ok) {
      this.lastVersion = `${outcome.value.name} ${outcome.value.version}`;
      outcome.call.biocore_version = this.lastVersion;
    }
    return outcome;
  }

  state(): ClientState {
    return {
      breaker: this.breakerState(),
      consecutiveFailures: this.consecutive.state,
      cacheEntries: this.cache.size,
      inFlight: this.maxConcurrent - this.bulkhead.executionSlots,
      queued: this.maxQueued - this.bulkhead.queueSlots,
    };
  }

  private async probe<T>(
    endpoint: "/health" | "/version",
    schema: z.ZodType<T>,
    opts: ProbeOptions,
  ): Promise<ProbeOutcome<T>> {
    const startedMs = this.now();
    const result = await this.call(
      { endpoint, method: "GET", schema, useBreaker: opts.testBreaker === true && this.breakerState() === "half_open" },
      opts,
    );
    if (result.answer) {
      const call = this.record(endpoint, startedMs, { outcome: "ok", cache: "bypass", result });
      return this.done<ProbeOutcome<T>>({ ok: true, value: result.answer.value, call });
    }
    const error = result.error ?? { kind: "network", message: "no answer" };
    const call = this.record(endpoint, startedMs, { outcome: "error", cache: "bypass", result, error });
    return this.done<ProbeOutcome<T>>({ ok: false, error, call });
  }

  private async call<T>(spec: CallSpec<T>, opts: RecommendOptions): Promise<CallResult<T>> {
    const startedMono = performance.now();
    const trace = traceHeaders(opts.traceparent);
    const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT, ...trace };
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const requested =
      opts.timeoutMs !== undefined && Number.isFinite(opts.timeoutMs) && opts.timeoutMs > 0 ? opts.timeoutMs : Infinity;
    const attemptTimeoutMs = Math.max(1, Math.min(requested, this.timeoutMs));

    const attempts: AttemptRecord[] = [];
    let pendingDelayMs = 0;
    const attemptOnce = async (signal: AbortSignal): Promise<AttemptAnswer<T>> => {
      const attemptStart = performance.now();
      const record: AttemptRecord = { attempt: attempts.length + 1, delay_ms: pendingDelayMs, latency_ms: 0 };
      attempts.push(record);
      try {
        const answer = await sendAttempt(
          {
            url: this.urls[spec.endpoint],
            method: spec.method,
            headers,
            body: spec.body,
            signal,
            callerSignal: opts.signal,
            maxBytes: this.maxResponseBytes,
            fetchImpl: this.fetchImpl,
            nowMs: Date.now(),
          },
          spec.schema,
        );
        record.status = answer.status;
        return answer;
      } catch (error) {
        if (error instanceof BioCoreCallError) {
          if (error.status !== undefined) record.status = error.status;
          record.error = error.kind;
        }
        throw error;
      } finally {
        record.latency_ms = Math.round(performance.now() - attemptStart);
      }
    };

    const deadline = startDeadline(this.totalTimeoutMs, opts.signal);
    const perAttempt = timeout(attemptTimeoutMs, TimeoutStrategy.Cooperative);
    const guarded = spec.useBreaker ? wrap(this.breaker, perAttempt) : perAttempt;
    const retries = retry(handleWhen(isRetryable), {
      maxAttempts: Math.max(0, Math.min(Math.floor(opts.maxRetries ?? this.maxRetries), this.maxRetries)),
      backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) => {
        const delayMs = this.retryDelayMs(ctx, deadline);
        pendingDelayMs = delayMs;
        return delayMs;
      }),
    });
    retries.onRetry((event) => {
      if ("error" in event && event.error instanceof BioCoreCallError) {
        this.emit({
          type: "retry",
          endpoint: spec.endpoint,
          attempt: event.attempt + 1,
          delay_ms: event.delay,
          error: event.error.toCallError(),
        });
      }
    });

    const traceparent = trace.traceparent ?? null;
    try {
      const run = this.bulkhead.execute(
        ({ signal }) =>
          retries.execute(({ signal: attemptSignal }) => {
            // A retry that wakes after the budget or the caller gave up must not reach the breaker.
            if (attemptSignal.aborted) throw cancelled(opts.signal);
            return guarded.execute(({ signal: inner }) => attemptOnce(inner), attemptSignal);
          }, signal),
        deadline.signal,
      );
      const answer = await raceAbort(run, deadline.signal);
      return { answer, attempts, traceparent, latencyMs: elapsed(startedMono) };
    } catch (error) {
      return {
        error: classify(error, opts.signal, deadline.signal),
        attempts,
        traceparent,
        latencyMs: elapsed(startedMono),
      };
    } finally {
      deadline.dispose();
    }
  }

  /** Full jitter, or the server's Retry-After; gives up (by throwing) when either would overrun. */
  private retryDelayMs(ctx: IRetryBackoffContext<unknown>, deadline: Deadline): number {
    const error = "error" in ctx.result ? ctx.result.error : new BioCoreCallError("network", "retry without an error");
    let delayMs = fullJitterDelayMs(ctx.attempt, this.backoff, this.random);
    if (error instanceof BioCoreCallError && error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > this.maxRetryAfterMs) throw error;
      delayMs = error.retryAfterMs;
    }
    if (delayMs >= deadline.remainingMs()) throw error;
    return delayMs;
  }

  private breakerState(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return "closed";
      case CircuitState.HalfOpen:
        return "half_open";
      case CircuitState.Open:
        // cockatiel moves to half-open lazily, on the next call; report it once the cool-down is over.
        return this.openedAtMs !== null && Date.now() - this.openedAtMs >= this.halfOpenAfterMs ? "half_open" : "open";
      default:
        return "open";
    }
  }

  private record(
    endpoint: Endpoint,
    startedMs: number,
    parts: {
      outcome: CallRecord["outcome"];
      cache: CallRecord["cache"];
      key?: string;
      result?: CallResult<unknown>;
      response?: BioCoreResponse;
      error?: CallError;
      latencyMs?: number;
    },
  ): CallRecord {
    const attempts = parts.result?.attempts ?? [];
    const lastStatus = [...attempts].reverse().find((a) => a.status !== undefined)?.status ?? null;
    const model = parts.response ? { ...parts.response.response.model } : null;
    return {
      endpoint,
      started_at: new Date(startedMs).toISOString(),
      latency_ms: parts.latencyMs ?? parts.result?.latencyMs ?? 0,
      attempt_count: attempts.length,
      attempts,
      outcome: parts.outcome,
      http_status: lastStatus,
      breaker_state: this.breakerState(),
      cache: parts.cache,
      biocore_version: this.lastVersion,
      model,
      model_version: model?.version ?? null,
      request_key: parts.key ?? null,
      traceparent: parts.result?.traceparent ?? null,
      error: parts.error ?? null,
    };
  }

  private done<O extends { call: CallRecord }>(outcome: O): O {
    this.emit({ type: "call", call: outcome.call });
    return outcome;
  }

  private emit(event: ClientEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // Telemetry must never change an outcome.
    }
  }
}

export function createBioCoreClient(options: BioCoreClientOptions): BioCoreClient {
  return new BioCoreClient(options);
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function elapsed(startMono: number): number {
  return Math.round(performance.now() - startMono);
}

function ageSeconds(storedAtMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - storedAtMs) / 1000));
}
