// Sign-in throttling: wrong passwords slow down the address that sends them, for that account, with
// growing delays; they never lock the account for its owner signing in from elsewhere. The test
// server's first delay is RATE_LIMIT_LOGIN_DELAY_SECONDS=2 (30 in production) so growth shows fast.
import { describe, expect, it } from "vitest";
import { call, expectProblem, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

const signIn = (email: string, password: string, ip: string) =>
  call("/api/v1/auth/token", { body: { email, password }, ip });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Some cases sign in 20+ times in a row: bcrypt at cost 12 on a busy 2-core machine takes a while.

describe("brute-force protection", () => {
  it("after 5 wrong passwords from one address, the right password from another address signs in at once", async () => {
    const user = await userWithRole("viewer");
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await signIn(user.email, `wrong-${i}`, attacker)).status).toBe(401);
    const throttled = await signIn(user.email, `wrong-5`, attacker);
    expect(throttled.status).toBe(429);
    expect((await signIn(user.email, TEST_PASSWORD, freshIp())).status).toBe(200);
  });

  it("delays the address that keeps failing, with a growing Retry-After, and does not even check its attempts meanwhile", async () => {
    const user = await userWithRole("viewer");
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await signIn(user.email, `wrong-${i}`, attacker)).status).toBe(401);
    const first = await signIn(user.email, TEST_PASSWORD, attacker);
    expect(first.status).toBe(429);
    expectProblem(first);
    const firstWait = Number(first.headers.get("retry-after"));
    expect(firstWait).toBeGreaterThan(0);
    expect(firstWait).toBeLessThanOrEqual(2);
    expect(((await first.json()) as { detail: string }).detail).toMatch(/Try again in \d+ seconds/);
    await sleep(firstWait * 1000 + 100);
    expect((await signIn(user.email, "wrong-6", attacker)).status).toBe(401);
    const second = await signIn(user.email, "wrong-7", attacker);
    expect(second.status).toBe(429);
    const secondWait = Number(second.headers.get("retry-after"));
    expect(secondWait).toBeGreaterThan(firstWait);
    expect(secondWait).toBeLessThanOrEqual(4);
  });

  it("slows an account attacked from many addresses by at most a minute, never locks it", async () => {
    const user = await userWithRole("viewer");
    // 20 failures (RATE_LIMIT_LOGIN_ACCOUNT_THROTTLE), one from each of 20 addresses: no pair is throttled.
    for (let i = 0; i < 20; i++) expect((await signIn(user.email, `spray-${i}`, freshIp())).status).toBe(401);
    const throttled = await signIn(user.email, TEST_PASSWORD, freshIp());
    expect(throttled.status).toBe(429);
    const wait = Number(throttled.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    await sleep(wait * 1000 + 100);
    expect((await signIn(user.email, TEST_PASSWORD, freshIp())).status).toBe(200);
  }, 180_000);

  it("limits one address to 20 attempts across accounts", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await call("/api/v1/auth/token", {
        body: { email: `spray-${i}@pilot.test`, password: "password-guess" },
        ip,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  }, 180_000);

  it("clears an address's failures for the account after a successful sign-in", async () => {
    const user = await userWithRole("viewer");
    const ip = freshIp();
    for (let i = 0; i < 4; i++) expect((await signIn(user.email, "nope-nope", ip)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(user.email, "nope-nope", ip)).status).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD, ip)).status).toBe(200);
  });
});
