// Rate limits shared by every replica through Redis when REDIS_URL is set, in memory otherwise.
// Answers carry the IETF RateLimit fields and Retry-After.
import "server-only";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { AppError } from "./app-error";

export type PolicyName = "api_principal" | "api_ip" | "login_ip";

type Policy = { points: number; durationSeconds: number };

function policies(): Record<PolicyName, Policy> {
  const e = env();
  const loginWindow = e.RATE_LIMIT_LOGIN_WINDOW_SECONDS;
  return {
    api_principal: { points: e.RATE_LIMIT_API_PER_MINUTE, durationSeconds: 60 },
    api_ip: { points: e.RATE_LIMIT_IP_PER_MINUTE, durationSeconds: 60 },
    login_ip: { points: e.RATE_LIMIT_LOGIN_PER_IP, durationSeconds: loginWindow },
  };
}

const store = globalThis as unknown as {
  pibLimiters?: Map<string, RateLimiterAbstract>;
  pibRedis?: Redis;
};

function redis(): Redis | undefined {
  const url = env().REDIS_URL;
  if (!url) return undefined;
  // Commands wait for the connection (so the first requests after boot count in Redis too) but
  // give up quickly, and the limiter then falls back to its in-memory insurance.
  store.pibRedis ??= new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 });
  store.pibRedis.on("error", (error: Error) => logger.warn("redis error", { error }));
  return store.pibRedis;
}

function limiter(name: PolicyName): RateLimiterAbstract {
  const policy = policies()[name];
  return storeLimiter(name, policy.points, policy.durationSeconds);
}

/**
 * A counter kept where the rate limits are (Redis when REDIS_URL is set, memory otherwise), created
 * once per name: `points` per `durationSeconds` window, keys prefixed `pib_rl_<name>`.
 */
export function storeLimiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
  store.pibLimiters ??= new Map();
  const existing = store.pibLimiters.get(name);
  if (existing) return existing;
  const options = { keyPrefix: `pib_rl_${name}`, points, duration: durationSeconds };
  const client = redis();
  // With Redis down, each replica falls back to its own memory limits rather than failing open.
  const created = client
    ? new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: new RateLimiterMemory(options) })
    : new RateLimiterMemory(options);
  store.pibLimiters.set(name, created);
  return created;
}

export type RateLimitState = { headers: Record<string, string> };

function fields(name: PolicyName, res: RateLimiterRes): Record<string, string> {
  const policy = policies()[name];
  const resetSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return {
    "RateLimit-Policy": `"${name}";q=${policy.points};w=${policy.durationSeconds}`,
    RateLimit: `"${name}";r=${Math.max(0, res.remainingPoints)};t=${resetSeconds}`,
  };
}

function limited(name: PolicyName, res: RateLimiterRes, detail: string): AppError {
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("rate_limited", `${detail} Try again in ${retryAfter} seconds.`, {
    headers: { ...fields(name, res), "Retry-After": String(retryAfter) },
  });
}

/** Spends one point; throws a 429 AppError when the key is over its limit. */
export async function consume(name: PolicyName, key: string, detail = "Too many requests."): Promise<RateLimitState> {
  try {
    const res = await limiter(name).consume(key);
    return { headers: fields(name, res) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw limited(name, rejection, detail);
    throw rejection;
  }
}
