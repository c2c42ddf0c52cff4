// The resilient BioCore client (MASS v1.1 §3). Build one per process with createBioCoreClient.
export { BioCoreClient, DEFAULTS, createBioCoreClient } from "./biocore-client";
export { fullJitterDelayMs, type BackoffSettings } from "./backoff";
export { parseCacheControl, type CachePolicy } from "./cache-control";
export { VOLATILE_FIELDS, requestCacheKey, stripVolatileFields } from "./cache-key";
export { BioCoreCallError, allowsStale } from "./call-error";
export { clientOptionsFromEnv, type BioCoreEnv } from "./options-from-env";
export { parseRetryAfter } from "./retry-after";
export { isValidTraceparent, traceHeaders } from "./traceparent";
export type {
  AttemptRecord,
  BioCoreClientOptions,
  BreakerState,
  CallError,
  CallErrorKind,
  CallRecord,
  ClientEvent,
  ClientState,
  ProbeOptions,
  ProbeOutcome,
  RecommendOptions,
  RecommendOutcome,
} from "./types";
