// The cache key of a /recommend request: identical questions get one key however often they are
// asked. Fields that change on every delivery (ids, clocks, trace context) are left out.
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/canonical";

/** Paths removed before hashing, documented for the integrator and the audit trail. */
export const VOLATILE_FIELDS = [
  "correlation_id",
  "trace",
  "normalized_at_utc",
  "received_at_utc",
  "request.request_id",
  "request.idempotency_key",
  "request.timestamp_utc",
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of the request without the volatile fields; the input is never modified. */
export function stripVolatileFields(request: unknown): unknown {
  if (!isRecord(request)) return request;
  const out: Record<string, unknown> = { ...request };
  for (const path of VOLATILE_FIELDS) {
    const [head, tail] = path.split(".") as [string, string | undefined];
    if (tail === undefined) delete out[head];
    else if (isRecord(out[head])) {
      const inner = { ...(out[head] as Record<string, unknown>) };
      delete inner[tail];
      out[head] = inner;
    }
  }
  return out;
}

/** SHA-256 hex of the canonical JSON (sorted keys) of the request minus its volatile fields. */
export function requestCacheKey(request: unknown): string {
  return createHash("sha256")
    .update(canonicalJson(stripVolatileFields(request)))
    .digest("hex");
}
