// With REDIS_URL set, rate limits and sign-in throttling live in Redis, so every replica sees the
// same counts.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCacheForTests } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("rate limits in Redis", () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  beforeAll(async () => {
    process.env.REDIS_URL = REDIS_URL;
    process.env.RATE_LIMIT_LOGIN_FREE_FAILURES = "3";
    process.env.RATE_LIMIT_LOGIN_DELAY_SECONDS = "1";
    resetEnvCacheForTests();
    await redis.connect();
  });
  afterAll(async () => {
    delete process.env.REDIS_URL;
    delete process.env.RATE_LIMIT_LOGIN_FREE_FAILURES;
    delete process.env.RATE_LIMIT_LOGIN_DELAY_SECONDS;
    resetEnvCacheForTests();
    redis.disconnect();
  });

  it("delays an account's failing address, counted in Redis, growing, and cleared by a success", async () => {
    const { assertMayTry, clearPair, recordFailure } = await import("@/lib/auth/login-throttle");
    const account = `redis-${randomBytes(4).toString("hex")}@pilot.test`;
    const ip = "198.51.100.7";
    for (let i = 0; i < 3; i++) {
      await assertMayTry(account, ip);
      await recordFailure(account, ip);
    }
    const error = await assertMayTry(account, ip).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(429);
    expect((error as AppError).headers?.["Retry-After"]).toBe("1");
    // Another address for the same account is not held up.
    await expect(assertMayTry(account, "198.51.100.8")).resolves.toBeUndefined();
    expect((await redis.keys(`*login_pair_failures*${account}*`)).length).toBe(1);
    expect((await redis.keys(`*login_pair_gate*${account}*`)).length).toBe(1);
    expect(await redis.get((await redis.keys(`*login_account_failures*${account}*`))[0]!)).toBe("3");

    await new Promise((r) => setTimeout(r, 1100));
    await assertMayTry(account, ip);
    await recordFailure(account, ip);
    const grown = await assertMayTry(account, ip).catch((e: unknown) => e);
    expect((grown as AppError).headers?.["Retry-After"]).toBe("2");

    await clearPair(account, ip);
    await expect(assertMayTry(account, ip)).resolves.toBeUndefined();
    expect(await redis.keys(`*login_pair_*${account}*`)).toEqual([]);
  });
});
