// A small plain `pg` pool for what Prisma cannot do (COPY for bulk loads), created once per process.
import "server-only";
import pg from "pg";
import { setting } from "@/lib/env";

const globalForPg = globalThis as unknown as { pibPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!globalForPg.pibPgPool) {
    const connectionString = setting("DATABASE_URL");
    if (!connectionString)
      throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
    globalForPg.pibPgPool = new pg.Pool({
      connectionString,
      max: setting("DATABASE_COPY_POOL_MAX"),
      connectionTimeoutMillis: 5_000,
    });
    globalForPg.pibPgPool.on("error", () => undefined);
  }
  return globalForPg.pibPgPool;
}
