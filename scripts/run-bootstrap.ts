// Shared by `npm start` and the test harness: database (embedded when DATABASE_URL is unset),
// migrations, and the first admin.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { embeddedRuntimeUrl, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";
import { databaseRolesFromEnv } from "@/lib/db/roles";

export function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}

export async function provideDatabase(log: (line: string) => void): Promise<EmbeddedDatabase | null> {
  if (process.env.DATABASE_URL) return null;
  const started = Date.now();
  const dataRoot = process.env.PIB_DATA_DIR ?? ".data";
  const embedded = await startEmbeddedPostgres({ dataRoot, database: "pilot", log });
  // Two roles, as in a deployment: migrations as the superuser that owns the tables, the app as
  // the login role pib_app, which may not change or empty the audit trail.
  process.env.DATABASE_MIGRATION_URL = embedded.url;
  process.env.DATABASE_URL = await embeddedRuntimeUrl(embedded.url, dataRoot);
  // The audit chain's key, when `npm start` generated one (provideAuditKey): commands that write
  // audit events on the embedded database (dataset:load) use the same key as the server.
  provideAuditKey(log, { create: false });
  log(`embedded PostgreSQL ready on 127.0.0.1:${embedded.port} in ${Date.now() - started} ms (data in ${dataRoot}/pg)`);
  return embedded;
}

/** Migrates as DATABASE_MIGRATION_URL (else DATABASE_URL) and grants DATABASE_URL's role. */
export async function migrate(log: (line: string) => void): Promise<void> {
  const roles = databaseRolesFromEnv();
  if (!roles) throw new Error("DATABASE_URL is not set");
  const started = Date.now();
  // Progress goes to stderr: commands like dataset:load keep stdout for their result.
  await migrateDatabase(roles.ownerUrl, {
    runtimeUrl: roles.runtimeUrl,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  log(`migrations applied in ${Date.now() - started} ms`);
}

/** Where `npm start` keeps what it generated for itself (next to the embedded database). */
export function dataDir(): string {
  return process.env.PIB_DATA_DIR ?? ".data";
}

/**
 * AUDIT_HMAC_KEY when unset: read from <data dir>/audit-hmac.key, or (`create`, for `npm start`)
 * generated there on first start, readable by this user only. The key must outlive restarts (a
 * new key makes every event sealed under the old one fail verification), so it is never ephemeral.
 */
export function provideAuditKey(log: (line: string) => void, options: { create: boolean }): void {
  if (process.env.AUDIT_HMAC_KEY) return;
  const file = join(dataDir(), "audit-hmac.key");
  if (existsSync(file)) {
    process.env.AUDIT_HMAC_KEY = readFileSync(file, "utf8").trim();
    return;
  }
  if (!options.create) return;
  mkdirSync(dataDir(), { recursive: true });
  const key = randomBytes(48).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  process.env.AUDIT_HMAC_KEY = key;
  log(`AUDIT_HMAC_KEY is not set: generated one in ${file} (keep it with your backups, never in the database)`);
}

/**
 * What every way of starting does before serving, in one place (`npm start`, the container's
 * `setup`, the test harness's prepare-db): migrations, the first admin (ADMIN_EMAIL/ADMIN_PASSWORD,
 * or a generated password printed once), and with `demo` the demo year when DEMO_DATA is not false
 * and no dataset exists yet; then closes the connections it opened. Safe to run again and from
 * several places at once: migrations and the first admin each run under an advisory lock.
 */
export async function bootstrap(log: (line: string) => void, options: { demo: boolean }): Promise<void> {
  await migrate(log);
  const { ensureFirstAdmin } = await import("@/lib/users/ensure-first-admin");
  const { setting } = await import("@/lib/env");
  const admin = await ensureFirstAdmin({
    ADMIN_EMAIL: setting("ADMIN_EMAIL"),
    ADMIN_PASSWORD: setting("ADMIN_PASSWORD"),
  });
  if (admin?.generatedPassword) {
    log("first admin created — this password is shown once, store it now:");
    log(`  email:    ${admin.email}`);
    log(`  password: ${admin.generatedPassword}`);
  } else if (admin) {
    log(`first admin created: ${admin.email} (password from ADMIN_PASSWORD)`);
  }
  if (options.demo) {
    const { ensureDemoData } = await import("@/lib/demo/load");
    await ensureDemoData(log);
  }
  const { db } = await import("@/lib/db");
  await db().$disconnect();
  const { pgPool } = await import("@/lib/db/pg-pool");
  await pgPool().end();
}
