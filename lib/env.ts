// Configuration, validated once. Secrets come only from the environment; in production the app
// refuses to start without them.
import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
// How many reverse proxies in front of the app append to X-Forwarded-For: the client is the entry
// that many places from the right (entries further left are whatever the client sent). "false"/0:
// ignore the header; "true" (older configurations): 1.
const proxyHops = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const given = (v ?? "").trim().toLowerCase();
    if (given === "" || given === "false") return 0;
    if (given === "true") return 1;
    if (/^\d{1,2}$/.test(given)) return Number(given);
    ctx.addIssue({ code: "custom", message: "must be false, true or the number of trusted proxy hops (0, 1, 2, …)" });
    return z.NEVER;
  });

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().optional(),
  /** Keys the audit chain and signs its anchors (lib/audit): never stored in the database. */
  AUDIT_HMAC_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** A file each signed audit anchor is appended to (one JSON line); unset: anchors go to the log only. */
  AUDIT_ANCHOR_FILE: z.string().optional(),
  AUDIT_ANCHOR_INTERVAL_MS: positiveInt(600_000),
  NEXTAUTH_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  TRUST_PROXY: proxyHops,
  SECURE_COOKIES: z.enum(["true", "false", "auto"]).default("auto"),
  MAX_BODY_BYTES: positiveInt(1_048_576),
  /** A MASS batch body (POST /api/v1/mass/batch, up to 1,000 documents): 413 above. */
  MASS_BATCH_MAX_BYTES: positiveInt(8_388_608),
  /** The MASS ingest routes answered by scripts/serve.ts without Next.js's request pipeline (same handlers); false: through Next.js. */
  DIRECT_INGEST_ROUTES: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  RATE_LIMIT_API_PER_MINUTE: positiveInt(600),
  RATE_LIMIT_IP_PER_MINUTE: positiveInt(1200),
  RATE_LIMIT_LOGIN_PER_IP: positiveInt(20),
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: positiveInt(900),
  /** Failed sign-ins per account from one address before each next attempt waits (lib/auth/login-throttle). */
  RATE_LIMIT_LOGIN_FREE_FAILURES: positiveInt(5),
  RATE_LIMIT_LOGIN_DELAY_SECONDS: positiveInt(30),
  RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS: positiveInt(900),
  /** Failed sign-ins per account from all addresses (per login window) before short delays start. */
  RATE_LIMIT_LOGIN_ACCOUNT_THROTTLE: positiveInt(20),
  DATASET_MAX_BYTES: positiveInt(200 * 1024 * 1024),
  DATASET_MAX_MISSING_RATIO: z.coerce.number().min(0).max(1).default(0.05),
  DATASET_MAX_STALENESS_SECONDS: positiveInt(7200),
  DEMO_DATA: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  /** An external BioCore; unset: the built-in reference engine at /api/biocore-reference. */
  BIOCORE_URL: z.string().url().optional(),
  BIOCORE_TOKEN: z.string().optional(),
  BIOCORE_TIMEOUT_MS: positiveInt(5000),
  BIOCORE_BREAKER_FAILURES: positiveInt(5),
  BIOCORE_BREAKER_COOLDOWN_MS: positiveInt(30_000),
  BIOCORE_MAX_CONCURRENT: positiveInt(8),
  BIOCORE_WORKER: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  BIOCORE_WORKER_POLL_MS: positiveInt(1000),
  BIOCORE_JOB_RETRY_BASE_MS: positiveInt(5000),
  /** Jobs the recommendation worker claims at once (one query), at most BIOCORE_MAX_CONCURRENT in flight. */
  BIOCORE_WORKER_BATCH: positiveInt(8),
  /**
   * While ingestion is busy, the share of the wall clock the recommendation worker may spend on
   * jobs (lib/biocore/pacing.ts); 1: no pacing. Quiet: it drains at full speed.
   */
  BIOCORE_WORKER_BUSY_SHARE: z.coerce.number().gt(0).max(1).default(0.25),
  BIOCORE_JOB_MAX_ATTEMPTS: positiveInt(12),
  /** A claimed job not finished after this many seconds (its replica died) is taken by another worker. */
  BIOCORE_JOB_LEASE_SECONDS: positiveInt(300),
  /**
   * Observations are kept this many months: a background pass (and `npm run retention`) drops each
   * UTC month that ended before now minus this many months, whole (its partition), with an audit
   * event. Unset or empty: every observation is kept. Rollups are kept either way.
   */
  OBSERVATION_RETENTION_MONTHS: z
    .string()
    .optional()
    .transform((v) => (v ? Number(v) : undefined))
    .pipe(z.number().int().min(1).max(1200).optional()),
  /** Bearer token for GET /api/metrics; unset: metrics are not exposed. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** API tokens created without an expiry expire after this many days; none may outlive the maximum. */
  API_TOKEN_DEFAULT_DAYS: positiveInt(90),
  API_TOKEN_MAX_DAYS: positiveInt(365),
  VERIFY_BASELINE_DAYS: positiveInt(28),
  VERIFY_REPORTING_DAYS: positiveInt(28),
  VERIFY_WORKER: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  VERIFY_POLL_MS: positiveInt(60_000),
  /**
   * Where the background loops (recommendation worker, verification pass, audit sealer) run:
   * "inline" inside the HTTP server process; "process" in their own process (scripts/worker.ts),
   * the server then only wakes it through PostgreSQL NOTIFY. `npm start` uses "process" unless
   * told otherwise; a bare scripts/serve.ts defaults to "inline".
   */
  WORKER_MODE: z.enum(["inline", "process"]).default("inline"),
  /** The worker process's own database pool (its connections, on top of the server's). */
  WORKER_POOL_MAX: positiveInt(2),
  /** The worker process's CPU niceness (0 = as the server, 19 = lowest), so requests come first. */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** The worker process serves its metrics (BioCore calls, breaker, pool) on this port, to the bearer of METRICS_TOKEN; unset: not served. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** The database pool of each process (Prisma's, through the pg adapter). */
  DATABASE_POOL_MAX: positiveInt(10),
  /** A small second pool for COPY (dataset loads) and the set-based MASS store. */
  DATABASE_COPY_POOL_MAX: positiveInt(4),
  /** A statement running longer is cancelled (the request answers 503) instead of hanging. */
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(30_000),
  /** How often the audit sealer links new events into the chain. */
  AUDIT_SEAL_INTERVAL_MS: positiveInt(1000),
  /** A stopping server or worker exits after this long even if requests or jobs are still running. */
  SHUTDOWN_GRACE_MS: positiveInt(25_000),
  /** The first admin, created on first start (a generated password is printed once when unset). */
  ADMIN_EMAIL: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  /** 0: any free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** The address the server listens on. */
  HOST: z.string().default("0.0.0.0"),
  OTEL_SERVICE_NAME: z
    .string()
    .optional()
    .transform((v) => v || "pilot-in-a-box"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  APP_VERSION: z.string().optional(),
  GIT_COMMIT: z.string().optional(),
});
export type Env = z.infer<typeof EnvSchema>;

const DEV_SECRET = "pilot-in-a-box-development-secret-not-for-production";
/** Outside production only: audit chains sealed with it prove nothing (anyone can read this line). */
export const DEV_AUDIT_HMAC_KEY = "pilot-in-a-box-development-audit-key-not-for-production";

let cached: (Env & { authSecret: string; auditKey: string; auditKeyIsDefault: boolean }) | undefined;

/** Parsed environment. Throws (and so stops the server) on invalid or missing production secrets. */
export function env(): Env & { authSecret: string; auditKey: string; auditKeyIsDefault: boolean } {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const value = parsed.data;
  const secret = value.AUTH_SECRET;
  if (value.NODE_ENV === "production" && !isBuildPhase()) {
    if (!secret || Buffer.byteLength(secret) < 32) {
      throw new Error("AUTH_SECRET must be set to at least 32 bytes in production");
    }
    if (!value.AUDIT_HMAC_KEY || Buffer.byteLength(value.AUDIT_HMAC_KEY) < 32) {
      throw new Error("AUDIT_HMAC_KEY must be set to at least 32 bytes in production");
    }
  }
  if (value.AUDIT_HMAC_KEY !== undefined && Buffer.byteLength(value.AUDIT_HMAC_KEY) < 32) {
    // A short key anywhere is a mistake worth stopping for, not only in production.
    throw new Error("AUDIT_HMAC_KEY must be at least 32 bytes");
  }
  cached = {
    ...value,
    authSecret: secret ?? DEV_SECRET,
    auditKey: value.AUDIT_HMAC_KEY ?? DEV_AUDIT_HMAC_KEY,
    auditKeyIsDefault: value.AUDIT_HMAC_KEY === undefined,
  };
  return cached;
}

/** `next build` imports route modules; configuration is checked when the server starts instead. */
function isBuildPhase(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}

/** Whether cookies get the Secure flag and the __Secure-/__Host- prefixes. */
export function secureCookiesEnabled(): boolean {
  const e = env();
  if (e.SECURE_COOKIES === "auto") {
    return e.NODE_ENV === "production" && (e.NEXTAUTH_URL ?? "").startsWith("https://");
  }
  return e.SECURE_COOKIES === "true";
}

/**
 * One setting, read and checked now (not cached): for what is read before or while launchers set
 * the environment (the embedded database's URL, the worker's pool size) and for the logger, which
 * must not depend on the rest of the configuration being valid. Same schema, same defaults as env().
 */
export function setting<K extends keyof Env>(key: K): Env[K] {
  const parsed = EnvSchema.shape[key].safeParse(process.env[key]);
  if (!parsed.success)
    throw new Error(`Invalid configuration: ${key}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data as Env[K];
}

/** As setting(), but an invalid value gives the default: for the logger, which must never throw. */
export function settingOrDefault<K extends keyof Env>(key: K): Env[K] {
  const parsed = EnvSchema.shape[key].safeParse(process.env[key]);
  return (parsed.success ? parsed.data : EnvSchema.shape[key].parse(undefined)) as Env[K];
}

export function resetEnvCacheForTests(): void {
  cached = undefined;
}
