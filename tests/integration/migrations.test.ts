// The offline migration step against a real PostgreSQL: apply, idempotence, two replicas at once,
// an edited applied migration, and drift between the migrations and schema.prisma.
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { deployMigrations } from "@/lib/db/migrate/deploy";
import { diffMigrationsToSchema, diffSnapshotToSchema } from "@/lib/db/migrate/diff-schema";
import { checksumOf, readMigrations } from "@/lib/db/migrate/migrations-dir";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const created: string[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `pib_mig_${randomBytes(5).toString("hex")}`;
  await admin(`create database "${name}"`);
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function rows<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await admin(`drop database if exists "${name}" with (force)`);
});

describe("migrations", () => {
  it("apply every migration once, with Prisma's checksums, and do nothing the second time", async () => {
    const url = await freshDatabase();
    const onDisk = readMigrations();
    expect(await deployMigrations(url)).toEqual(onDisk.map((m) => m.name));
    const applied = await rows<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      "select migration_name, checksum, finished_at from _prisma_migrations order by migration_name",
    );
    expect(applied.map((a) => [a.migration_name, a.checksum])).toEqual(onDisk.map((m) => [m.name, checksumOf(m.sql)]));
    expect(applied.every((a) => a.finished_at)).toBe(true);
    expect(await deployMigrations(url)).toEqual([]);
  });

  it("let two replicas migrate the same database at once", async () => {
    const url = await freshDatabase();
    await Promise.all([migrateDatabase(url, { log: () => {} }), migrateDatabase(url, { log: () => {} })]);
    const applied = await rows<{ n: string }>(url, "select count(*)::text as n from _prisma_migrations");
    expect(Number(applied[0]!.n)).toBe(readMigrations().length);
  });

  it("refuse to start when an applied migration file was changed", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "pib-migrations-"));
    cpSync("prisma/migrations", dir, { recursive: true });
    await deployMigrations(url, { migrationsDir: dir });
    const first = readMigrations(dir)[0]!;
    appendFileSync(join(dir, first.name, "migration.sql"), "\n-- edited after it was applied\n");
    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`${first.name} was changed after it was applied`),
    );
    await expect(migrateDatabase(url, { migrationsDir: dir, log: () => {} })).rejects.toThrow(
      /was changed after it was applied/,
    );
  });

  it("find no drift between the committed migrations and schema.prisma", async () => {
    const url = await freshDatabase();
    expect((await diffSnapshotToSchema({ databaseUrl: url, script: false })).changed).toBe(false);
    expect(await diffMigrationsToSchema({ databaseUrl: url })).toEqual({ changed: false, output: expect.any(String) });
  });

  it("detect a schema change that has no migration", async () => {
    const url = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "pib-schema-"));
    const schemaPath = join(dir, "schema.prisma");
    const schema = readFileSync("prisma/schema.prisma", "utf8").replace(
      "  name              String?\n",
      "  name              String?\n  phone             String?\n",
    );
    expect(schema).toContain("phone");
    writeFileSync(schemaPath, schema);
    expect((await diffSnapshotToSchema({ databaseUrl: url, schemaPath, script: false })).changed).toBe(true);
    const replay = await diffMigrationsToSchema({ databaseUrl: url, schemaPath });
    expect(replay.changed).toBe(true);
    expect(replay.output).toMatch(/ADD COLUMN\s+"phone"/);
  });
});
