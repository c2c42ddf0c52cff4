// Shared by the benchmarks: the database server they create their databases on, a production
// server of the app to measure, and small measuring helpers.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";

export const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** One statement on the admin database (create/drop the bench database). */
export async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** Resident memory of a process, in kB (0 once it is gone). */
export function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Migrates the database in `env`, creates its first admin, then serves the production build. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<{ server: ChildProcess; stop: () => Promise<void> }> {
  const prepared = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"], { env, encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(prepared.stderr);
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((resolve) => server.on("message", (m: { type?: string }) => m.type === "listening" && resolve()));
  return {
    server,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    },
  };
}
