import { describe, expect, it } from "vitest";
import { generateApiTokenSecret } from "@/lib/access/secrets";
import { redactForAudit } from "./redact";

describe("redactForAudit", () => {
  it.each([
    [{ password: "p" }, { password: "[redacted]" }],
    [{ nested: { apiKey: "k", Token: "t", ok: 1 } }, { nested: { apiKey: "[redacted]", Token: "[redacted]", ok: 1 } }],
    [{ list: [{ client_secret: "s" }] }, { list: [{ client_secret: "[redacted]" }] }],
    [
      { when: new Date("2026-01-01T00:00:00Z"), n: Number.POSITIVE_INFINITY },
      { when: "2026-01-01T00:00:00.000Z", n: null },
    ],
  ])("%j → %j", (input, expected) => {
    expect(redactForAudit(input)).toEqual(expected);
  });

  // Issue 17 item 6: "pass" (every mv.run's verdict) and tokens_per_watt_est were redacted because
  // the rule matched any key containing "pass" or "token".
  it("keeps data whose key only contains a credential word", () => {
    const outputs = {
      pass: false,
      acceptance: { pass: true, cvRmse: { pass: true } },
      tokens_per_watt_est: 1.2,
      passes: 3,
      bypass_valve: "open",
      compass: "N",
    };
    expect(redactForAudit(outputs)).toEqual(outputs);
  });

  it.each([
    "password",
    "new_password",
    "currentPassword",
    "client_secret",
    "AUTH_SECRET",
    "access_token",
    "x-api-key",
    "apiKey",
    "Authorization",
    "cookie",
    "Set-Cookie",
    "privateKey",
    "credentials",
  ])("redacts the value under %s", (key) => {
    expect(redactForAudit({ [key]: "s3cr3t-value" })).toEqual({ [key]: "[redacted]" });
  });

  it("redacts values shaped like credentials under any key", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJpYXQiOjF9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const out = redactForAudit({
      note: generateApiTokenSecret(),
      header: "Bearer abc.def",
      jwt,
      pem: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
      url: "postgresql://app:hunter2@db:5432/pib",
      plain: "pib_test_database",
    });
    expect(out).toEqual({
      note: "[redacted]",
      header: "[redacted]",
      jwt: "[redacted]",
      pem: "[redacted]",
      url: "postgresql://app:[redacted]@db:5432/pib",
      plain: "pib_test_database",
    });
  });

  it("truncates very long strings and deep nesting", () => {
    const long = redactForAudit({ s: "x".repeat(5000) }) as { s: string };
    expect(long.s.length).toBeLessThan(2100);
    let deep: unknown = "leaf";
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redactForAudit(deep))).toContain("[truncated]");
  });
});
