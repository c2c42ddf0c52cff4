// Shared by `npm start` and the test harness: database (embedded when DATABASE_URL is unset),
// migrations, and the first admin.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { embeddedRuntimeUrl, readOrCreateSecret, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
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
  // The audit chain's key lives beside the data it signs: generated once, kept in .data.
  if (!process.env.AUDIT_HMAC_KEY) process.env.AUDIT_HMAC_KEY = readOrCreateSecret(join(dataRoot, "audit-hmac.secret"), 48);
  log(`embedded PostgreSQL ready on 127.0.0.1:${embedded.port} in ${Date.now() - started} ms (data in ${dataRoot}/pg)`);
  return embedded;
}

/** Migrates as DATABASE_MIGRATION_URL (else DATABASE_URL) and grants DATABASE_URL's role. */
export async function migrate(log: (line: string) => void): Promise<void> {
  const roles = databaseRolesFromEnv();
  if (!roles) throw new Error("DATABASE_URL is not set");
  const started = Date.now();
  // Progress goes to stderr: commands like dataset:load keep stdout for their result.
  await migrateDatabase(roles.ownerUrl, { runtimeUrl: roles.runtimeUrl, log: (line) => process.stderr.write(`${line}\n`) });
  log(`migrations applied in ${Date.now() - started} ms`);
}
