// One error type for a failed attempt, carrying what the retry and breaker policies decide on.
import { isBrokenCircuitError, isBulkheadRejectedError, isTaskCancelledError } from "cockatiel";
import type { CallError, CallErrorKind } from "./types";

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export class BioCoreCallError extends Error {
  override readonly name = "BioCoreCallError";

  constructor(
    readonly kind: CallErrorKind,
    message: string,
    readonly status?: number,
    /** From Retry-After on a 429/503, already converted to milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Network errors, timeouts, 502/503/504 and 429 are retried; other 4xx and bad answers never. */
  get retryable(): boolean {
    if (this.kind === "network" || this.kind === "timeout") return true;
    return this.kind === "http" && this.status !== undefined && RETRYABLE_STATUS.has(this.status);
  }

  /**
   * Whether this counts against the breaker: BioCore misbehaving (down, slow, 5xx, 429, 3xx, bad
   * answers). Other 4xx mean our request was refused, and a caller's abort is nobody's fault.
   */
  get breakerFailure(): boolean {
    if (this.kind === "aborted") return false;
    if (this.kind === "http" && this.status !== undefined) {
      return this.status === 429 || this.status < 400 || this.status >= 500;
    }
    return true;
  }

  toCallError(): CallError {
    return { kind: this.kind, ...(this.status !== undefined ? { status: this.status } : {}), message: this.message };
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof BioCoreCallError && error.retryable;
}

export function isBreakerFailure(error: unknown): boolean {
  return error instanceof BioCoreCallError && error.breakerFailure;
}

/** Which failures may be covered by the last good answer: not a caller's abort, not a refused request. */
export function allowsStale(error: CallError): boolean {
  if (error.kind === "aborted") return false;
  if (error.kind === "http" && error.status !== undefined) {
    return error.status === 429 || error.status < 400 || error.status >= 500;
  }
  return true;
}

/** What a failed call comes to, whichever layer (ours or cockatiel's) gave up. */
export function classify(error: unknown, callerSignal: AbortSignal | undefined, budget: AbortSignal): CallError {
  if (error instanceof BioCoreCallError) return error.toCallError();
  if (isBrokenCircuitError(error))
    return { kind: "circuit_open", message: "the circuit breaker is open; BioCore was not called" };
  if (isBulkheadRejectedError(error))
    return { kind: "bulkhead_full", message: "too many BioCore calls in flight and queued" };
  if (isTaskCancelledError(error) || budget.aborted) return cancelled(callerSignal).toCallError();
  return {
    kind: "network",
    message: `unexpected client failure (${error instanceof Error ? error.name : typeof error})`,
  };
}

/** A call cut short: by the caller (aborted) or by the time budget (timeout). */
export function cancelled(callerSignal: AbortSignal | undefined): BioCoreCallError {
  return callerSignal?.aborted
    ? new BioCoreCallError("aborted", "the caller cancelled the call")
    : new BioCoreCallError("timeout", "the call's time budget ran out");
}
