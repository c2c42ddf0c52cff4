// The Prisma client, created once per process. The URL comes from DATABASE_URL; `npm start` and
// `npm test` set it to an embedded PostgreSQL when the user has not (see scripts/start.ts).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { createHash } from "node:crypto";
import pg from "pg";
import { setting } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

function createClient(): PrismaClient {
  const connectionString = setting("DATABASE_URL");
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
  }
  // Our own pool (rather than one the adapter makes) so its usage can be reported as a metric.
  globalForPrisma.pool = new pg.Pool({
    connectionString,
    max: setting("DATABASE_POOL_MAX"),
    connectionTimeoutMillis: 5_000,
    // No JIT compilation: the dashboard's queries read few rows but carry large cost estimates
    // (arrays of buckets, OR-ed ranges), and compiling them took 1–10 s where running took 0.1 s.
    // A statement stuck behind a lock is cancelled (the request answers 503) instead of hanging.
    // No plan_cache_mode here: set for the session it forces generic plans on Prisma's unnamed
    // statements too, and a generic plan of a query over the monthly partitions of `observation`
    // plans every partition (330 ms against 1.3 ms for a 12-range KPI read over 286 months).
    // pgTransaction sets it for its own transactions only.
    options: `-c jit=off -c statement_timeout=${setting("DATABASE_STATEMENT_TIMEOUT_MS")}`,
  });
  // An idle connection the server drops (restart, failover) must not crash the process; the pool
  // replaces it on the next query.
  globalForPrisma.pool.on("error", () => undefined);
  // disposeExternalPool: $disconnect() closes it too (scripts exit cleanly).
  return new PrismaClient({ adapter: new PrismaPg(globalForPrisma.pool, { disposeExternalPool: true }) });
}

/** Lazily created so that importing this module (e.g. during `next build`) never needs a database. */
export function db(): PrismaClient {
  globalForPrisma.prisma ??= createClient();
  return globalForPrisma.prisma;
}

/** What a transaction on a plain `pg` client offers: one statement at a time, its rows back. */
export type PgTx = { query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]> };

/** One parameterized statement of a round trip (PgBatchTx.many). */
export type PgStep = { text: string; values: unknown[] };

/**
 * A pgTransaction's client: besides one statement at a time, several in one round trip. On this
 * machine a round trip to PostgreSQL cost the server about 7 % of an ingest's CPU (the socket write
 * and the loopback's wake-up of the backend: BENCHMARKS.md), more than most of its statements.
 */
export type PgBatchTx = PgTx & {
  /**
   * Runs `steps` in order in ONE round trip and answers each one's rows. Each statement still sees
   * what the ones before it wrote (a statement of its own, a snapshot of its own). `commit`: the
   * transaction commits in the same round trip (nothing may follow).
   */
  many(steps: PgStep[], options?: { commit?: boolean }): Promise<Record<string, unknown>[][]>;
};

const statementNames = new Map<string, string>();

/** A stable name per statement text (a connection prepares each once). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `pib_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

// Statements prepared with SQL PREPARE on each connection (for PgBatchTx.many), by name. Not
// transactional: a statement prepared in a transaction that rolls back stays prepared.
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/** An array as PostgreSQL's array text (`{"a","b",NULL}`), its elements quoted and escaped. */
function arrayText(values: readonly unknown[]): string {
  const element = (v: unknown): string =>
    v === null || v === undefined
      ? "NULL"
      : Array.isArray(v)
        ? arrayText(v)
        : `"${scalarText(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return `{${values.map(element).join(",")}}`;
}

function scalarText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** A parameter as an SQL literal of unknown type (the prepared statement's parameter type reads it). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  return pg.escapeLiteral(Array.isArray(value) ? arrayText(value) : scalarText(value));
}

const BEGIN = ["begin", "set local plan_cache_mode = force_generic_plan"];

/**
 * A transaction on a plain client of the main pool, for hot paths made of a few set-based
 * statements (MASS ingest): no ORM between the statements, one round trip each, or several in one
 * (`many`). Rolled back when `work` throws; the client goes back to the pool either way (destroyed
 * if the rollback failed).
 */
export async function pgTransaction<T>(work: (tx: PgBatchTx) => Promise<T>): Promise<T> {
  db();
  const client = await globalForPrisma.pool!.connect();
  // Named statements (set-based statements over JSON parameters) keep one generic plan per
  // connection: planning them anew each call cost more than running them. SET LOCAL: the
  // transaction only. BEGIN goes with the transaction's first round trip.
  let begun = false;
  let committed = false;
  const begin = async () => {
    if (begun) return;
    begun = true;
    await client.query(BEGIN.join("; "));
  };
  const tx: PgBatchTx = {
    query: async <R>(text: string, values: unknown[] = []) => {
      await begin();
      return (await client.query({ name: statementName(text), text, values })).rows as R[];
    },
    many: async (steps, options = {}) => {
      if (committed) throw new Error("pgTransaction: the transaction was already committed");
      const prepared = preparedOn.get(client) ?? new Set<string>();
      preparedOn.set(client, prepared);
      // SQL PREPARE shares the connection's namespace with node-pg's named statements: a prefix of its own.
      const names = steps.map((step) => `${statementName(step.text)}_m`);
      const missing = [...new Set(names)].filter((name) => !prepared.has(name));
      if (missing.length) {
        // Once per connection; a statement of its own, so a failure leaves nothing half-known.
        const texts = new Map(steps.map((step, i) => [names[i]!, step.text]));
        await client.query(missing.map((name) => `prepare ${name} as ${texts.get(name)}`).join(";\n"));
        for (const name of missing) prepared.add(name);
      }
      const parts = begun ? [] : [...BEGIN];
      const lead = parts.length;
      begun = true;
      for (const [i, step] of steps.entries())
        parts.push(`execute ${names[i]}${step.values.length ? `(${step.values.map(sqlLiteral).join(", ")})` : ""}`);
      if (options.commit) parts.push("commit");
      const answer = (await client.query(parts.join(";\n"))) as unknown as pg.QueryResult | pg.QueryResult[];
      if (options.commit) committed = true;
      const results = Array.isArray(answer) ? answer : [answer];
      return results.slice(lead, lead + steps.length).map((r) => r.rows as Record<string, unknown>[]);
    },
  };
  let broken: Error | undefined;
  try {
    const result = await work(tx);
    if (!committed && begun) await client.query("commit");
    return result;
  } catch (error) {
    if (begun && !committed) await client.query("rollback").catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The main pool's connections (total, idle, waiting clients), or null before the first query. */
export function poolUsage(): { total: number; idle: number; waiting: number } | null {
  const p = globalForPrisma.pool;
  return p ? { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount } : null;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
