// Two database roles against a real PostgreSQL: the migration step (as the owner) grants the
// runtime role what the app needs, and on audit_event only INSERT, SELECT and the sealer's UPDATE
// of chain_pos/prev_hash/hash. DELETE, TRUNCATE, any other UPDATE and disabling the append-only
// trigger are refused to the runtime role by PostgreSQL itself.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";
import { APPEND_ONLY_TABLES, applyRuntimeGrants, ensureLoginRole, urlAsRole } from "@/lib/db/roles";

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const suffix = randomBytes(4).toString("hex");
const dbName = `pib_roles_${suffix}`;
const runtimeRole = `pib_rt_${suffix}`;
const memberRole = `pib_rt_member_${suffix}`;
const password = randomBytes(18).toString("base64url");
const ownerUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
const runtimeUrl = urlAsRole(ownerUrl, runtimeRole, password);

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function insertEvent(url: string): Promise<string> {
  const [row] = await query<{ seq: string }>(
    url,
    `insert into audit_event (id, occurred_at, actor_type, action, result, app_version)
     values ($1, now(), 'system', 'test.role', 'ok', 'test') returning seq::text`,
    [randomUUID()],
  );
  return row!.seq;
}

beforeAll(async () => {
  await query(adminUrl, `create database "${dbName}"`);
  await ensureLoginRole(adminUrl, runtimeRole, password);
  // The real migration step, as `npm start`, the container's setup and the Helm Job run it.
  await migrateDatabase(ownerUrl, { runtimeUrl, log: () => {} });
}, 120_000);

afterAll(async () => {
  await query(adminUrl, `drop database if exists "${dbName}" with (force)`);
  await query(adminUrl, `drop role if exists "${runtimeRole}"`);
  await query(adminUrl, `drop role if exists "${memberRole}"`);
});

describe("runtime role on audit_event", () => {
  it("may insert, read and seal an event", async () => {
    const seq = await insertEvent(runtimeUrl);
    expect(await query(runtimeUrl, "select action from audit_event where seq = $1", [seq])).toEqual([
      { action: "test.role" },
    ]);
    const sealed = await query(
      runtimeUrl,
      "update audit_event set chain_pos = $1, prev_hash = 'p', hash = $2 where seq = $1 and hash is null returning seq",
      [seq, `h${seq}`],
    );
    expect(sealed).toHaveLength(1);
  });

  it.each([
    ["UPDATE of another column", "update audit_event set action = 'tampered'"],
    ["DELETE", "delete from audit_event"],
    ["TRUNCATE", "truncate audit_event"],
  ])("is refused %s by the privilege check", async (_label, sql) => {
    await insertEvent(runtimeUrl);
    // "permission denied", not the append-only trigger's message: the privilege itself is missing.
    await expect(query(runtimeUrl, sql)).rejects.toThrow(/permission denied for table audit_event/);
  });

  it("cannot switch the append-only trigger off or take the table over", async () => {
    await expect(query(runtimeUrl, "alter table audit_event disable trigger user")).rejects.toThrow(/must be owner/);
    await expect(query(runtimeUrl, `alter table audit_event owner to "${runtimeRole}"`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(query(runtimeUrl, "set session_replication_role = replica")).rejects.toThrow(/permission denied/);
  });
});

describe("runtime role elsewhere", () => {
  it("reads and writes every other table but never truncates, and only reads the migration history", async () => {
    const rows = await query<{
      table: string;
      sel: boolean;
      ins: boolean;
      upd: boolean;
      del: boolean;
      trunc: boolean;
      trig: boolean;
    }>(
      ownerUrl,
      `select c.relname as table,
              has_table_privilege($1, c.oid, 'SELECT') as sel, has_table_privilege($1, c.oid, 'INSERT') as ins,
              has_table_privilege($1, c.oid, 'UPDATE') as upd, has_table_privilege($1, c.oid, 'DELETE') as del,
              has_table_privilege($1, c.oid, 'TRUNCATE') as trunc, has_table_privilege($1, c.oid, 'TRIGGER') as trig
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by 1`,
      [runtimeRole],
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect({ table: row.table, trunc: row.trunc, trig: row.trig }).toEqual({
        table: row.table,
        trunc: false,
        trig: false,
      });
      const expected =
        row.table === "_prisma_migrations"
          ? { sel: true, ins: false, upd: false, del: false }
          : row.table in APPEND_ONLY_TABLES
            ? { sel: true, ins: true, upd: false, del: false }
            : { sel: true, ins: true, upd: true, del: true };
      expect({ table: row.table, sel: row.sel, ins: row.ins, upd: row.upd, del: row.del }).toEqual({
        table: row.table,
        ...expected,
      });
    }
  });

  it("may use tables a later migration creates (default privileges), still without TRUNCATE", async () => {
    await query(ownerUrl, "create table later_table (id bigserial primary key, v text)");
    await query(runtimeUrl, "insert into later_table (v) values ('x')");
    await query(runtimeUrl, "update later_table set v = 'y'");
    await query(runtimeUrl, "delete from later_table");
    await expect(query(runtimeUrl, "truncate later_table")).rejects.toThrow(/permission denied/);
  });

  it("cannot create tables in the schema", async () => {
    await expect(query(runtimeUrl, "create table mine (id int)")).rejects.toThrow(
      /permission denied for schema public/,
    );
  });
});

describe("applyRuntimeGrants", () => {
  it("is idempotent, and a no-op when both URLs are the same role", async () => {
    await expect(applyRuntimeGrants({ ownerUrl, runtimeUrl })).resolves.toBe(runtimeRole);
    await expect(applyRuntimeGrants({ ownerUrl, runtimeUrl })).resolves.toBe(runtimeRole);
    await expect(applyRuntimeGrants({ ownerUrl, runtimeUrl: ownerUrl })).resolves.toBeNull();
    await insertEvent(runtimeUrl);
    await expect(query(runtimeUrl, "delete from audit_event")).rejects.toThrow(/permission denied/);
  });

  it("refuses a runtime role that could act as the owner", async () => {
    await ensureLoginRole(adminUrl, memberRole, password);
    const owner = (await query<{ u: string }>(ownerUrl, "select current_user as u"))[0]!.u;
    await query(adminUrl, `grant "${owner}" to "${memberRole}"`);
    await expect(
      applyRuntimeGrants({ ownerUrl, runtimeUrl: urlAsRole(ownerUrl, memberRole, password) }),
    ).rejects.toThrow(/superuser|member of/);
  });
});
