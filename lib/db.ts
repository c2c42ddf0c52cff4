// The Prisma client, created once per process. The URL comes from DATABASE_URL; `npm start` and
// `npm test` set it to an embedded PostgreSQL when the user has not (see scripts/start.ts).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
  }
  const adapter = new PrismaPg({
    connectionString,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    connectionTimeoutMillis: 5_000,
    // No JIT compilation: the dashboard's queries read few rows but carry large cost estimates
    // (arrays of buckets, OR-ed ranges), and compiling them took 1–10 s where running took 0.1 s.
    options: "-c jit=off",
  });
  return new PrismaClient({ adapter });
}

/** Lazily created so that importing this module (e.g. during `next build`) never needs a database. */
export function db(): PrismaClient {
  globalForPrisma.prisma ??= createClient();
  return globalForPrisma.prisma;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
