// The throttle on the in-memory store (the Redis store: tests/integration/rate-limit-redis.test.ts).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCacheForTests } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { accountDelaySeconds, assertMayTry, clearPair, pairDelaySeconds, recordFailure } from "./login-throttle";

const defaults = { freeFailures: 5, delaySeconds: 30, maxDelaySeconds: 900, accountThreshold: 20 };
const account = () => `throttle-${randomBytes(4).toString("hex")}@pilot.test`;
const retryAfter = async (p: Promise<void>): Promise<number> => {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error("expected a 429");
  expect(error.status).toBe(429);
  return Number(error.headers?.["Retry-After"]);
};

describe("sign-in delays", () => {
  it("per account and address: 5 free failures, then 30 s doubling, at most 15 min", () => {
    expect([0, 4, 5, 6, 7, 9, 10, 11, 60].map((n) => pairDelaySeconds(n, defaults))).toEqual([
      0, 0, 30, 60, 120, 480, 900, 900, 900,
    ]);
  });

  it("per account from all addresses: from the 20th failure 1 s doubling, at most 60 s", () => {
    expect([0, 19, 20, 21, 25, 26, 1000].map((n) => accountDelaySeconds(n, defaults))).toEqual([
      0, 0, 1, 2, 32, 60, 60,
    ]);
  });
});

describe("login throttle (memory store)", () => {
  beforeAll(() => {
    delete process.env.REDIS_URL;
    process.env.RATE_LIMIT_LOGIN_DELAY_SECONDS = "1";
    resetEnvCacheForTests();
  });
  afterAll(() => {
    delete process.env.RATE_LIMIT_LOGIN_DELAY_SECONDS;
    resetEnvCacheForTests();
  });

  it("delays only the failing address, growing, and a success there clears it", async () => {
    const email = account();
    for (let i = 0; i < 5; i++) {
      await assertMayTry(email, "198.51.100.1");
      await recordFailure(email, "198.51.100.1");
    }
    expect(await retryAfter(assertMayTry(email, "198.51.100.1"))).toBe(1);
    await expect(assertMayTry(email, "198.51.100.2")).resolves.toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    await assertMayTry(email, "198.51.100.1");
    await recordFailure(email, "198.51.100.1");
    expect(await retryAfter(assertMayTry(email, "198.51.100.1"))).toBe(2);
    await clearPair(email, "198.51.100.1");
    await expect(assertMayTry(email, "198.51.100.1")).resolves.toBeUndefined();
  });

  it("slows the whole account by a second after 20 failures from 20 addresses", async () => {
    const email = account();
    for (let i = 0; i < 19; i++) await recordFailure(email, `203.0.113.${i}`);
    await expect(assertMayTry(email, "192.0.2.99")).resolves.toBeUndefined();
    await recordFailure(email, "203.0.113.19");
    expect(await retryAfter(assertMayTry(email, "192.0.2.99"))).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(assertMayTry(email, "192.0.2.99")).resolves.toBeUndefined();
  });
});
