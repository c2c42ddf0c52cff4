import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";

export const DEFAULT_MIGRATIONS_DIR = "prisma/migrations";
export const DEFAULT_SCHEMA = "prisma/schema.prisma";
export const SNAPSHOT_FILE = "schema.snapshot.prisma";

export type MigrationOnDisk = { name: string; sql: string; checksum: string };

/** Prisma's checksum of a migration: SHA-256 (hex) of its migration.sql. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): MigrationOnDisk[] {
  const base = resolve(dir);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => statSync(join(base, name)).isDirectory() && existsSync(join(base, name, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(base, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export function migrationList(dir = DEFAULT_MIGRATIONS_DIR): MigrationList {
  const base = resolve(dir);
  const lockPath = join(base, "migration_lock.toml");
  return {
    baseDir: base,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}
