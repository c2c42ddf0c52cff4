import { describe, expect, it } from "vitest";
import { call, expectProblem, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

describe("brute-force protection", () => {
  it("locks an account after 5 failures, even for the right password, from any address", async () => {
    const user = await userWithRole("viewer");
    for (let i = 0; i < 5; i++) {
      const res = await call("/api/v1/auth/token", { body: { email: user.email, password: `wrong-${i}` } });
      expect(res.status).toBe(401);
    }
    const locked = await call("/api/v1/auth/token", { body: { email: user.email, password: TEST_PASSWORD }, ip: freshIp() });
    expect(locked.status).toBe(429);
    expectProblem(locked);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(locked.headers.get("ratelimit-policy")).toMatch(/^"login_account";q=5;w=900$/);
    expect(locked.headers.get("ratelimit")).toMatch(/^"login_account";r=0;t=\d+$/);
  });

  it("limits one address to 20 attempts across accounts", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await call("/api/v1/auth/token", { body: { email: `spray-${i}@pilot.test`, password: "password-guess" }, ip });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("resets an account's failures after a successful sign-in", async () => {
    const user = await userWithRole("viewer");
    for (let i = 0; i < 4; i++) await call("/api/v1/auth/token", { body: { email: user.email, password: "nope-nope" } });
    expect((await call("/api/v1/auth/token", { body: { email: user.email, password: TEST_PASSWORD } })).status).toBe(200);
    for (let i = 0; i < 4; i++) await call("/api/v1/auth/token", { body: { email: user.email, password: "nope-nope" } });
    expect((await call("/api/v1/auth/token", { body: { email: user.email, password: TEST_PASSWORD } })).status).toBe(200);
  });
});
