// Sign-in throttling with growing delays instead of a lock. A lock on the account after a few
// failures "from anywhere" lets anyone keep the admin out; so failures are counted:
// - per account and address: RATE_LIMIT_LOGIN_FREE_FAILURES (5) go free, then the next attempt from
//   that address for that account waits 30 s · 2^(n−5) (RATE_LIMIT_LOGIN_DELAY_SECONDS), at most 15
//   min (RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS); remembered for a day, cleared by a success there;
// - per account from all addresses (a spray from many addresses): after
//   RATE_LIMIT_LOGIN_ACCOUNT_THROTTLE (20) failures in the login window, a short growing delay
//   1 s · 2^(n−20), at most 60 s.
// So the owner signing in from their own address waits at most a minute, whatever others send.
// An attempt during a delay is not checked at all (429 with Retry-After). The counters live where
// the rate limits do (Redis when REDIS_URL is set, memory otherwise).
import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { storeLimiter } from "@/lib/http/rate-limit";

const PAIR_MEMORY_SECONDS = 24 * 3600;
const ACCOUNT_DELAY_SECONDS = 1;
const ACCOUNT_MAX_DELAY_SECONDS = 60;
// Counters are never "over their limit": only their count matters.
const UNLIMITED = 1_000_000_000;

export type ThrottleSettings = {
  freeFailures: number;
  delaySeconds: number;
  maxDelaySeconds: number;
  accountThreshold: number;
};

function settings(): ThrottleSettings {
  const e = env();
  return {
    freeFailures: e.RATE_LIMIT_LOGIN_FREE_FAILURES,
    delaySeconds: e.RATE_LIMIT_LOGIN_DELAY_SECONDS,
    maxDelaySeconds: e.RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS,
    accountThreshold: e.RATE_LIMIT_LOGIN_ACCOUNT_THROTTLE,
  };
}

/** Seconds the next attempt from one address must wait after its `failures`-th failure for the account. */
export function pairDelaySeconds(failures: number, s: ThrottleSettings = settings()): number {
  if (failures < s.freeFailures) return 0;
  return Math.min(s.delaySeconds * 2 ** Math.min(failures - s.freeFailures, 30), s.maxDelaySeconds);
}

/** Seconds any next attempt for the account must wait after its `failures`-th failure from anywhere. */
export function accountDelaySeconds(failures: number, s: ThrottleSettings = settings()): number {
  if (failures < s.accountThreshold) return 0;
  return Math.min(ACCOUNT_DELAY_SECONDS * 2 ** Math.min(failures - s.accountThreshold, 30), ACCOUNT_MAX_DELAY_SECONDS);
}

function limiters(): {
  pairFailures: RateLimiterAbstract;
  pairGate: RateLimiterAbstract;
  accountFailures: RateLimiterAbstract;
  accountGate: RateLimiterAbstract;
} {
  const e = env();
  return {
    pairFailures: storeLimiter("login_pair_failures", UNLIMITED, PAIR_MEMORY_SECONDS),
    // A gate is closed by block(key, delay) and open when its key has expired.
    pairGate: storeLimiter("login_pair_gate", 1, e.RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS),
    accountFailures: storeLimiter("login_account_failures", UNLIMITED, e.RATE_LIMIT_LOGIN_WINDOW_SECONDS),
    accountGate: storeLimiter("login_account_gate", 1, ACCOUNT_MAX_DELAY_SECONDS),
  };
}

const pairKey = (email: string, ip: string | null): string => `${ip ?? "unknown"}|${email}`;

async function closedForMs(gate: RateLimiterAbstract, key: string): Promise<number> {
  const res = await gate.get(key);
  return res && res.consumedPoints > 1 ? Math.max(0, res.msBeforeNext) : 0;
}

/** Throws a 429 (with Retry-After) while the account, or the account from this address, must wait. */
export async function assertMayTry(email: string, ip: string | null): Promise<void> {
  const l = limiters();
  const [pairMs, accountMs] = await Promise.all([
    closedForMs(l.pairGate, pairKey(email, ip)),
    closedForMs(l.accountGate, email),
  ]);
  const waitMs = Math.max(pairMs, accountMs);
  if (waitMs <= 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const why =
    pairMs >= accountMs
      ? "Too many failed sign-ins for this account from this address."
      : "Too many failed sign-ins for this account.";
  throw new AppError("rate_limited", `${why} Try again in ${seconds} seconds.`, {
    headers: { "Retry-After": String(seconds) },
  });
}

/** Counts a failed attempt and closes the gates for as long as the counts ask. */
export async function recordFailure(email: string, ip: string | null): Promise<void> {
  const l = limiters();
  const key = pairKey(email, ip);
  const [pair, account] = await Promise.all([l.pairFailures.penalty(key, 1), l.accountFailures.penalty(email, 1)]);
  const pairDelay = pairDelaySeconds(pair.consumedPoints);
  const accountDelay = accountDelaySeconds(account.consumedPoints);
  await Promise.all([
    pairDelay > 0 ? l.pairGate.block(key, pairDelay) : null,
    accountDelay > 0 ? l.accountGate.block(email, accountDelay) : null,
  ]);
}

/** A success from this address forgets its failures for the account (others' stay counted). */
export async function clearPair(email: string, ip: string | null): Promise<void> {
  const l = limiters();
  const key = pairKey(email, ip);
  await Promise.all([l.pairFailures.delete(key), l.pairGate.delete(key)]);
}
