import { afterEach, describe, expect, it } from "vitest";
import { DEV_AUDIT_HMAC_KEY, env, resetEnvCacheForTests } from "./env";

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  resetEnvCacheForTests();
});

describe("env", () => {
  it("refuses to start in production without a 32-byte AUTH_SECRET", () => {
    Object.assign(process.env, { NODE_ENV: "production", AUTH_SECRET: "short" });
    resetEnvCacheForTests();
    expect(() => env()).toThrow(/AUTH_SECRET/);
    delete process.env.AUTH_SECRET;
    resetEnvCacheForTests();
    expect(() => env()).toThrow(/AUTH_SECRET/);
  });

  it("accepts a long secret in production and parses lists and numbers", () => {
    Object.assign(process.env, {
      NODE_ENV: "production",
      AUTH_SECRET: "x".repeat(32),
      AUDIT_HMAC_KEY: "k".repeat(32),
      CORS_ORIGINS: "https://a, https://b",
      MAX_BODY_BYTES: "2048",
    });
    resetEnvCacheForTests();
    const e = env();
    expect(e.CORS_ORIGINS).toEqual(["https://a", "https://b"]);
    expect(e.MAX_BODY_BYTES).toBe(2048);
  });

  it("refuses to start in production without a 32-byte AUDIT_HMAC_KEY", () => {
    Object.assign(process.env, { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) });
    delete process.env.AUDIT_HMAC_KEY;
    resetEnvCacheForTests();
    expect(() => env()).toThrow(/AUDIT_HMAC_KEY/);
    process.env.AUDIT_HMAC_KEY = "short";
    resetEnvCacheForTests();
    expect(() => env()).toThrow(/AUDIT_HMAC_KEY/);
    process.env.AUDIT_HMAC_KEY = "k".repeat(32);
    resetEnvCacheForTests();
    expect(env()).toMatchObject({ auditKey: "k".repeat(32), auditKeyIsDefault: false });
  });

  it("uses the development audit key outside production, and says so", () => {
    Object.assign(process.env, { NODE_ENV: "development" });
    delete process.env.AUDIT_HMAC_KEY;
    resetEnvCacheForTests();
    expect(env()).toMatchObject({ auditKey: DEV_AUDIT_HMAC_KEY, auditKeyIsDefault: true });
  });

  it("names the variable that is invalid", () => {
    Object.assign(process.env, { NODE_ENV: "development", RATE_LIMIT_API_PER_MINUTE: "lots" });
    resetEnvCacheForTests();
    expect(() => env()).toThrow(/RATE_LIMIT_API_PER_MINUTE/);
  });

  it("reads TRUST_PROXY as a number of trusted proxy hops", () => {
    for (const [given, hops] of [
      [undefined, 0],
      ["", 0],
      ["false", 0],
      ["0", 0],
      ["true", 1],
      ["1", 1],
      ["2", 2],
      [" TRUE ", 1],
    ] as const) {
      if (given === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = given;
      resetEnvCacheForTests();
      expect(env().TRUST_PROXY).toBe(hops);
    }
  });

  it("refuses a TRUST_PROXY that is not a boolean or a hop count", () => {
    for (const given of ["yes", "-1", "1.5", "10.0.0.0/8", "100"]) {
      process.env.TRUST_PROXY = given;
      resetEnvCacheForTests();
      expect(() => env()).toThrow(/TRUST_PROXY: must be false, true or the number of trusted proxy hops/);
    }
  });
});
