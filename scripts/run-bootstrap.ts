// Shared by `npm start` and the test harness: database (embedded when DATABASE_URL is unset),
// migrations, and the first admin.
import { existsSync } from "node:fs";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";

export function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}

export async function provideDatabase(log: (line: string) => void): Promise<EmbeddedDatabase | null> {
  if (process.env.DATABASE_URL) return null;
  const started = Date.now();
  const dataRoot = process.env.PIB_DATA_DIR ?? ".data";
  const embedded = await startEmbeddedPostgres({ dataRoot, database: "pilot", log });
  process.env.DATABASE_URL = embedded.url;
  log(`embedded PostgreSQL ready on 127.0.0.1:${embedded.port} in ${Date.now() - started} ms (data in ${dataRoot}/pg)`);
  return embedded;
}

export async function migrate(log: (line: string) => void): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const started = Date.now();
  // Progress goes to stderr: commands like dataset:load keep stdout for their result.
  await migrateDatabase(url, { log: (line) => process.stderr.write(`${line}\n`) });
  log(`migrations applied in ${Date.now() - started} ms`);
}
