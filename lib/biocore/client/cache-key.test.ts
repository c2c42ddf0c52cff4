import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VOLATILE_FIELDS, requestCacheKey, stripVolatileFields } from "./cache-key";

const REQUEST = JSON.parse(
  readFileSync(new URL("../../mass/examples/enterprise-request.json", import.meta.url), "utf8"),
);

describe("requestCacheKey", () => {
  it("is SHA-256 hex and ignores key order", () => {
    const reordered = Object.fromEntries(Object.entries(REQUEST).reverse());
    expect(requestCacheKey(REQUEST)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestCacheKey(reordered)).toBe(requestCacheKey(REQUEST));
  });

  it.each([
    ["correlation_id", { correlation_id: "corr-x" }],
    ["trace", { trace: { traceparent: "00-11111111111111111111111111111111-2222222222222222-01" } }],
    ["normalized_at_utc", { normalized_at_utc: "2026-11-20T14:00:07Z" }],
    ["received_at_utc", { received_at_utc: "2026-11-20T14:00:06Z" }],
    ["request.request_id", { request: { ...REQUEST.request, request_id: "req-x" } }],
    ["request.idempotency_key", { request: { ...REQUEST.request, idempotency_key: "idem-x" } }],
    ["request.timestamp_utc", { request: { ...REQUEST.request, timestamp_utc: "2026-11-21T00:00:00Z" } }],
  ])("ignores the volatile %s", (_name, change) => {
    expect(requestCacheKey({ ...REQUEST, ...change })).toBe(requestCacheKey(REQUEST));
  });

  it.each([
    [
      "a signal",
      { request: { ...REQUEST.request, signals: { ...REQUEST.request.signals, cooling: { cooling_setpoint_c: 19 } } } },
    ],
    ["the tenant", { request: { ...REQUEST.request, tenant_id: "other" } }],
    ["the schema version", { schema_version: "1.0" }],
  ])("changes with %s", (_name, change) => {
    expect(requestCacheKey({ ...REQUEST, ...change })).not.toBe(requestCacheKey(REQUEST));
  });

  it("leaves the request untouched and documents every field it drops", () => {
    const before = JSON.stringify(REQUEST);
    const stripped = stripVolatileFields(REQUEST) as Record<string, Record<string, unknown>>;
    expect(JSON.stringify(REQUEST)).toBe(before);
    expect(stripped.trace).toBeUndefined();
    expect(stripped.request?.request_id).toBeUndefined();
    expect(stripped.request?.tenant_id).toBe("acme-cloud");
    expect(VOLATILE_FIELDS).toHaveLength(7);
  });

  it("hashes non-objects too", () => {
    expect(requestCacheKey(null)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestCacheKey([1, 2])).not.toBe(requestCacheKey([2, 1]));
  });
});
