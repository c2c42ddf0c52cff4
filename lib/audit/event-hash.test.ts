import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, hashEventV1, type HashedFields } from "./event-hash";

const KEY = "k".repeat(32);

const base: HashedFields = {
  id: "00000000-0000-4000-8000-000000000001",
  occurredAt: new Date("2026-11-23T10:00:00.000Z"),
  actorType: "user",
  actorId: "u1",
  actorLabel: "admin@localhost",
  tenantId: null,
  action: "user.create",
  targetType: "user",
  targetId: "u2",
  inputs: { email: "a@b.c", role: "viewer" },
  outputs: null,
  result: "ok",
  datasetVersion: null,
  biocoreVersion: null,
  appVersion: "0.1.0",
  gitCommit: "abc",
  traceId: null,
  spanId: null,
  requestId: "r1",
  ip: "127.0.0.1",
  userAgent: "test",
};

describe("hashEvent", () => {
  it("is a stable HMAC-SHA-256 over the previous hash and the canonical event", () => {
    const h = hashEvent(GENESIS_HASH, base, KEY);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, { ...base, inputs: { role: "viewer", email: "a@b.c" } }, KEY)).toBe(h);
  });

  it.each(Object.keys(base) as (keyof HashedFields)[])("changes when %s changes", (key) => {
    const original = hashEvent(GENESIS_HASH, base, KEY);
    const value = base[key];
    const changed =
      value instanceof Date
        ? new Date(value.getTime() + 1)
        : typeof value === "string"
          ? `${value}x`
          : value === null
            ? "set"
            : { other: true };
    expect(hashEvent(GENESIS_HASH, { ...base, [key]: changed }, KEY)).not.toBe(original);
  });

  it("changes when the previous hash changes", () => {
    expect(hashEvent("f".repeat(64), base, KEY)).not.toBe(hashEvent(GENESIS_HASH, base, KEY));
  });

  it("depends on the key: without it, nobody computes a hash that verifies", () => {
    expect(hashEvent(GENESIS_HASH, base, "x".repeat(32))).not.toBe(hashEvent(GENESIS_HASH, base, KEY));
  });

  it("keeps the unkeyed version-1 hash of events sealed before the key existed, distinct from the keyed one", () => {
    // The version-1 hash is what the sealer wrote before this change: a plain SHA-256 over {v: 1, ...}.
    const v1 = hashEventV1(GENESIS_HASH, base);
    // Computed with the sealer of the previous release: chains sealed by it must still verify.
    expect(v1).toBe("0fb6546bed3f9750afb5cfedbf98ec59c06b72939d3b1d1d9f799c6da3120182");
    expect(v1).not.toBe(hashEvent(GENESIS_HASH, base, KEY));
    expect(hashEventV1(GENESIS_HASH, { ...base, action: "forged" })).not.toBe(v1);
  });
});
