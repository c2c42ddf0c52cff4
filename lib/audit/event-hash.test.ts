import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEvent, type HashedFields } from "./event-hash";

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
  it("is a stable SHA-256 over the previous hash and the canonical event", () => {
    const h = hashEvent(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, { ...base, inputs: { role: "viewer", email: "a@b.c" } })).toBe(h);
  });

  it.each(Object.keys(base) as (keyof HashedFields)[])("changes when %s changes", (key) => {
    const original = hashEvent(GENESIS_HASH, base);
    const value = base[key];
    const changed =
      value instanceof Date ? new Date(value.getTime() + 1) : typeof value === "string" ? `${value}x` : value === null ? "set" : { other: true };
    expect(hashEvent(GENESIS_HASH, { ...base, [key]: changed })).not.toBe(original);
  });

  it("changes when the previous hash changes", () => {
    expect(hashEvent("f".repeat(64), base)).not.toBe(hashEvent(GENESIS_HASH, base));
  });
});
