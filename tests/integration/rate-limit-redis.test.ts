// With REDIS_URL set, rate limits live in Redis, so every replica sees the same counts.
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
    process.env.RATE_LIMIT_LOGIN_PER_ACCOUNT = "3";
    resetEnvCacheForTests();
    await redis.connect();
  });
  afterAll(async () => {
    delete process.env.REDIS_URL;
    delete process.env.RATE_LIMIT_LOGIN_PER_ACCOUNT;
    resetEnvCacheForTests();
    redis.disconnect();
  });

  it("blocks an account after its failures, counted in Redis", async () => {
    const { assertNotBlocked, penalize, reset } = await import("@/lib/http/rate-limit");
    const account = `redis-${randomBytes(4).toString("hex")}@pilot.test`;
    for (let i = 0; i < 3; i++) {
      await assertNotBlocked("login_account", account, "Too many sign-in attempts.");
      await penalize("login_account", account);
    }
    const error = await assertNotBlocked("login_account", account, "Too many sign-in attempts.").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(429);
    expect(Number((error as AppError).headers?.["Retry-After"])).toBeGreaterThan(0);
    const keys = await redis.keys(`*login_account*${account}*`);
    expect(keys.length).toBe(1);
    await reset("login_account", account);
    await expect(assertNotBlocked("login_account", account, "x")).resolves.toBeUndefined();
    expect(await redis.keys(`*login_account*${account}*`)).toEqual([]);
  });
});
