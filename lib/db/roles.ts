// Two database roles: the migration owner (DATABASE_MIGRATION_URL) creates and owns every table;
// the runtime role (DATABASE_URL) the server connects as gets only the privileges the app uses.
// The point is the audit trail: a table's owner can disable its triggers, UPDATE, DELETE and
// TRUNCATE it, so the role a compromised server holds must not own it. On audit_event the runtime
// role may INSERT, SELECT, and UPDATE only the columns the sealer fills in (the append-only trigger
// still allows that only once per row); DELETE, TRUNCATE and every other UPDATE are refused by
// PostgreSQL's privilege check, before any trigger runs.
// When DATABASE_MIGRATION_URL is unset both are DATABASE_URL (one role: the development default).
import pg from "pg";

/**
 * Tables the runtime role may append to but not change, with the columns it may still UPDATE.
 * A table added here must also keep an append-only trigger (see prisma/sql/audit-append-only.sql).
 */
export const APPEND_ONLY_TABLES: Readonly<Record<string, readonly string[]>> = {
  audit_event: ["chain_pos", "prev_hash", "hash"],
};

/** Only read at runtime: the migration history is the owner's. */
const READ_ONLY_TABLES = ["_prisma_migrations"];

/**
 * SECURITY DEFINER functions (they run as the owner) the runtime role may call: the DDL the app
 * needs without holding DDL rights itself. Their migration revoked EXECUTE from PUBLIC.
 * ensure_observation_months creates the monthly partitions of `observation` a load touches;
 * drop_observation_months_before drops whole months for retention (lib/observations/retention.ts).
 */
export const RUNTIME_FUNCTIONS: readonly string[] = [
  "ensure_observation_months(timestamptz, timestamptz)",
  "drop_observation_months_before(timestamptz, jsonb)",
];

export type DatabaseRoles = { ownerUrl: string; runtimeUrl: string };

/** The URLs to migrate with and to run with, from the environment. */
export function databaseRolesFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseRoles | null {
  const runtimeUrl = env.DATABASE_URL || undefined;
  const ownerUrl = env.DATABASE_MIGRATION_URL || runtimeUrl;
  if (!ownerUrl || !runtimeUrl) return null;
  return { ownerUrl, runtimeUrl };
}

export function roleOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).username);
}

/** The schema the app's tables live in (Prisma's `?schema=`, else public). */
export function schemaOf(databaseUrl: string): string {
  return new URL(databaseUrl).searchParams.get("schema") || "public";
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * After migrations: when the runtime URL names another role than the owner's, grant it what the
 * app needs (idempotent; run on every deploy). Returns the runtime role granted to, or null when
 * both URLs are the same role.
 */
export async function applyRuntimeGrants(
  roles: DatabaseRoles,
  log: (line: string) => void = () => {},
): Promise<string | null> {
  const owner = roleOf(roles.ownerUrl);
  const runtime = roleOf(roles.runtimeUrl);
  if (!runtime)
    throw new Error("DATABASE_URL names no user: the runtime role must be explicit when DATABASE_MIGRATION_URL is set");
  if (runtime === owner) return null;
  await grantRuntimeRole(roles.ownerUrl, runtime, { schema: schemaOf(roles.runtimeUrl) });
  log(`runtime role ${runtime}: privileges granted (audit_event append-only)`);
  return runtime;
}

/**
 * Grants `role` what the app needs on every table in `schema`, as the connected (owner) role, in
 * one transaction. Default privileges cover tables later migrations create.
 */
export async function grantRuntimeRole(
  ownerUrl: string,
  role: string,
  options: { schema?: string } = {},
): Promise<void> {
  const schema = options.schema ?? schemaOf(ownerUrl);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      exists: boolean;
      superuser: boolean;
      member: boolean;
      owner: string;
      version: number;
    }>(
      `select exists(select 1 from pg_roles where rolname = $1) as exists,
              coalesce((select rolsuper or rolbypassrls from pg_roles where rolname = $1), false) as superuser,
              coalesce((select pg_has_role($1, current_user, 'MEMBER') from pg_roles where rolname = $1), false) as member,
              current_user as owner,
              current_setting('server_version_num')::int as version`,
      [role],
    );
    const facts = rows[0]!;
    if (!facts.exists)
      throw new Error(`runtime role ${role} does not exist: create it (CREATE ROLE ${role} LOGIN PASSWORD '…') first`);
    // Either would hand the runtime role the owner's powers back, grants or not.
    if (facts.superuser)
      throw new Error(
        `runtime role ${role} is a superuser (or bypasses RLS): it could still change audit_event; use an ordinary role`,
      );
    if (facts.member)
      throw new Error(
        `runtime role ${role} is a member of ${facts.owner}, which owns the tables: it could still change audit_event`,
      );

    const r = ident(role);
    const s = ident(schema);
    const tables = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'p') order by 1`,
      [schema],
    );
    // MAINTAIN (PostgreSQL 17+) lets the loader ANALYZE what it just loaded; older servers skip
    // the ANALYZE of a table the role does not own with a warning.
    const maintain = facts.version >= 170000 ? ", MAINTAIN" : "";
    const statements: string[] = [
      `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
      `REVOKE CREATE ON SCHEMA ${s} FROM ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    ];
    for (const { name } of tables.rows) {
      const t = `${s}.${ident(name)}`;
      // REVOKE ALL also removes column privileges: a column granted by an older version goes.
      statements.push(`REVOKE ALL ON ${t} FROM ${r}`);
      const appendOnly = APPEND_ONLY_TABLES[name];
      if (appendOnly) {
        statements.push(`GRANT SELECT, INSERT ON ${t} TO ${r}`);
        if (appendOnly.length) statements.push(`GRANT UPDATE (${appendOnly.map(ident).join(", ")}) ON ${t} TO ${r}`);
      } else if (READ_ONLY_TABLES.includes(name)) {
        statements.push(`GRANT SELECT ON ${t} TO ${r}`);
      } else {
        statements.push(`GRANT SELECT, INSERT, UPDATE, DELETE${maintain} ON ${t} TO ${r}`);
      }
    }
    for (const signature of RUNTIME_FUNCTIONS) {
      const found = await client.query<{ oid: string | null }>("select to_regprocedure($1)::oid::text as oid", [
        `${s}.${signature}`,
      ]);
      if (found.rows[0]?.oid) statements.push(`GRANT EXECUTE ON FUNCTION ${s}.${signature} TO ${r}`);
    }
    // Tables and sequences the owner creates later (new migrations) are usable at once; an
    // append-only table added later is narrowed by the next run of this function, which every
    // deploy makes right after migrating. No TRUNCATE, REFERENCES or TRIGGER anywhere.
    statements.push(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(facts.owner)} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(facts.owner)} IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
    );
    await client.query("begin");
    try {
      // Two setups at once (replicas, a retried Job) would fail on concurrent catalog updates.
      await client.query("select pg_advisory_xact_lock(7400130003)");
      for (const sql of statements) await client.query(sql);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

/**
 * Creates (or resets the password of) an ordinary login role, as a role allowed to create roles.
 * Used by `npm start` on its embedded PostgreSQL and by the test harness.
 */
export async function ensureLoginRole(adminUrl: string, role: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_roles where rolname = $1", [role]);
    const verb = found.rowCount ? "ALTER" : "CREATE";
    const quoted = (await client.query<{ q: string }>("select quote_literal($1) as q", [password])).rows[0]!.q;
    await client.query(
      `${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${quoted}`,
    );
  } finally {
    await client.end();
  }
}

/** `databaseUrl` with another user and password. */
export function urlAsRole(databaseUrl: string, role: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  return url.toString();
}
