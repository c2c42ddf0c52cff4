// Schema diffs without a database: from the snapshot of schema.prisma taken at the last migration
// to the current schema.prisma. Used to create migrations offline and to detect drift.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { NO_FILTER, openEngine } from "./engine";
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA, migrationList, SNAPSHOT_FILE } from "./migrations-dir";

// The engine opens its database connection even to diff two files (it reads nothing from it), so
// callers pass any reachable PostgreSQL.
export async function diffSnapshotToSchema(options: {
  databaseUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
  script: boolean;
}): Promise<{ changed: boolean; output: string }> {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const schemaPath = options.schemaPath ?? DEFAULT_SCHEMA;
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  const { engine, close } = await openEngine(schemaPath, options.databaseUrl, () => {});
  try {
    const from = existsSync(snapshotPath)
      ? {
          tag: "schemaDatamodel" as const,
          files: [{ path: snapshotPath, content: readFileSync(snapshotPath, "utf8") }],
        }
      : { tag: "empty" as const };
    const to = {
      tag: "schemaDatamodel" as const,
      files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }],
    };
    const result = await engine.diff({ from, to, script: options.script, exitCode: true, filters: NO_FILTER });
    return { changed: result.exitCode === 2, output: result.stdout ?? "" };
  } finally {
    await close();
  }
}

/**
 * The strongest drift check: replay every migration into a fresh shadow database and diff the
 * result against schema.prisma. Exit code 2 from the engine means the migrated schema differs
 * from the datamodel (a migration is missing, or one was hand-edited into disagreement).
 */
export async function diffMigrationsToSchema(options: {
  databaseUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
}): Promise<{ changed: boolean; output: string }> {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const schemaPath = options.schemaPath ?? DEFAULT_SCHEMA;
  const { engine, close } = await openEngine(schemaPath, options.databaseUrl, () => {});
  try {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationList(dir) },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    return { changed: result.exitCode === 2, output: result.stdout ?? "" };
  } finally {
    await close();
  }
}
