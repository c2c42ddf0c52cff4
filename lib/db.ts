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

/**
 * A transaction on a plain client of the main pool, for hot paths made of a few set-based
 * statements (MASS ingest): no ORM between the statements, one round trip each. Rolled back when
 * `work` throws; the client goes back to the pool either way (destroyed if the rollback failed).
 */
export async function pgTransaction<T>(work: (tx: PgTx) => Promise<T>): Promise<T> {
  db();
  const client = await globalForPrisma.pool!.connect();
  // Named (prepared) statements: each connection parses and plans a hot statement once, not per call.
  const tx: PgTx = {
    query: async <R>(text: string, values: unknown[] = []) =>
      (await client.query({ name: statementName(text), text, values })).rows as R[],
  };
  let broken: Error | undefined;
  try {
    // Named statements (set-based statements over JSON parameters) keep one generic plan per
    // connection: planning them anew each call cost more than running them. SET LOCAL: the
    // transaction only, in the same round trip as BEGIN.
    await client.query("begin; set local plan_cache_mode = force_generic_plan");
    const result = await work(tx);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((e: Error) => (broken = e));
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
