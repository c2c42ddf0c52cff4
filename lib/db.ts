// The Prisma client, created once per process. The URL comes from DATABASE_URL; `npm start` and
// `npm test` set it to an embedded PostgreSQL when the user has not (see scripts/start.ts).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
  }
  // Our own pool (rather than one the adapter makes) so its usage can be reported as a metric.
  globalForPrisma.pool = new pg.Pool({
    connectionString,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    connectionTimeoutMillis: 5_000,
    // No JIT compilation: the dashboard's queries read few rows but carry large cost estimates
    // (arrays of buckets, OR-ed ranges), and compiling them took 1–10 s where running took 0.1 s.
    // A statement stuck behind a lock is cancelled (the request answers 503) instead of hanging.
    options: `-c jit=off -c statement_timeout=${Number(process.env.DATABASE_STATEMENT_TIMEOUT_MS ?? 30_000)}`,
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

/** The main pool's connections (total, idle, waiting clients), or null before the first query. */
export function poolUsage(): { total: number; idle: number; waiting: number } | null {
  const p = globalForPrisma.pool;
  return p ? { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount } : null;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
