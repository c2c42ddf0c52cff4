import { describe, expect, it } from "vitest";
import { redactForAudit } from "./redact";

describe("redactForAudit", () => {
  it.each([
    [{ password: "p" }, { password: "[redacted]" }],
    [{ nested: { apiKey: "k", Token: "t", ok: 1 } }, { nested: { apiKey: "[redacted]", Token: "[redacted]", ok: 1 } }],
    [{ list: [{ client_secret: "s" }] }, { list: [{ client_secret: "[redacted]" }] }],
    [{ when: new Date("2026-01-01T00:00:00Z"), n: Number.POSITIVE_INFINITY }, { when: "2026-01-01T00:00:00.000Z", n: null }],
  ])("%j → %j", (input, expected) => {
    expect(redactForAudit(input)).toEqual(expected);
  });

  it("truncates very long strings and deep nesting", () => {
    const long = redactForAudit({ s: "x".repeat(5000) }) as { s: string };
    expect(long.s.length).toBeLessThan(2100);
    let deep: unknown = "leaf";
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redactForAudit(deep))).toContain("[truncated]");
  });
});
