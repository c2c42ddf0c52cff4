// Applies pending migrations under a session advisory lock (two replicas starting together never
// race), after checking that every migration already applied is still byte-for-byte the file on
// disk: an edited or missing applied migration stops the start.
import pg from "pg";
import { NO_FILTER, openEngine } from "./engine";
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA, migrationList, readMigrations } from "./migrations-dir";

const LOCK_KEY = 7_400_130_000;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export class MigrationError extends Error {}

export async function deployMigrations(
  databaseUrl: string,
  options: { migrationsDir?: string; schemaPath?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const log = options.log ?? (() => {});
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    await checkAppliedHistory(lock, dir);
    const { engine, close } = await openEngine(options.schemaPath ?? DEFAULT_SCHEMA, databaseUrl, (m) => log(m));
    try {
      const out = await engine.applyMigrations({ migrationsList: migrationList(dir), filters: NO_FILTER });
      return out.appliedMigrationNames;
    } finally {
      await close();
    }
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

async function checkAppliedHistory(client: pg.Client, dir: string): Promise<void> {
  const exists = await client.query("select to_regclass('public._prisma_migrations') is not null as present");
  if (!exists.rows[0]?.present) return;
  const { rows } = await client.query<AppliedRow>(
    "select migration_name, checksum, finished_at, rolled_back_at from _prisma_migrations order by started_at",
  );
  const onDisk = new Map(readMigrations(dir).map((m) => [m.name, m]));
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `migration ${row.migration_name} failed or is still running in this database; fix the database, then mark it rolled back or applied`,
      );
    }
    const file = onDisk.get(row.migration_name);
    if (!file)
      throw new MigrationError(`migration ${row.migration_name} is applied in the database but missing from ${dir}`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied (checksum mismatch); restore the original file`,
      );
    }
  }
}
