// Shared by the benchmarks: the database server they create their databases on, a production
// server of the app to measure, and small measuring helpers.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";

export const ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ??
  process.env.TEST_DATABASE_ADMIN_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

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

/**
 * Migrates the database in `env`, creates its first admin, then serves the production build. With
 * WORKER_MODE=process in `env`, also the background process beside it (scripts/worker.ts), as
 * `npm start` runs them.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
): Promise<{ server: ChildProcess; worker: ChildProcess | null; stop: () => Promise<void> }> {
  const prepared = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"],
    { env, encoding: "utf8" },
  );
  if (prepared.status !== 0) throw new Error(prepared.stderr);
  // BENCH_SERVER_NODE_ARGS: extra Node.js flags for the server only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const server = spawn(process.execPath, [...extra, "--import", "tsx", "scripts/serve.ts"], {
    env,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve) =>
    server.on("message", (m: { type?: string }) => m.type === "listening" && resolve()),
  );
  let worker: ChildProcess | null = null;
  if (env.WORKER_MODE === "process") {
    const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      env,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    await new Promise<void>((resolve) =>
      w.on("message", (m: { type?: string }) => m.type === "worker-ready" && resolve()),
    );
    worker = w;
  }
  const stopOne = async (p: ChildProcess | null) => {
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await exited;
  };
  return {
    server,
    worker,
    stop: async () => {
      await Promise.all([stopOne(server), stopOne(worker)]);
    },
  };
}

/** CPU time (user + system) of processes, in ms, from /proc (clock ticks at 100 Hz); a gone process counts 0. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10;
}

/** The PostgreSQL backends serving database `name` (their CPU is what the database spends on it). */
export async function backendPids(name: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
      [name],
    );
    return rows.map((r) => r.pid);
  } finally {
    await c.end();
  }
}

export type BenchTarget = { name: string; url: string; port: number; password: string };

/** What every server bench starts from: a fresh database on the admin server, a free port, an admin password. */
export async function benchTarget(): Promise<BenchTarget> {
  const name = `pib_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    port: await freePort(),
    password: `Bench-${randomBytes(9).toString("base64url")}`,
  };
}

/** The production server's settings every bench uses (fresh secrets, the bench admin, quiet logs), then the bench's own. */
export function benchServerEnv(
  target: Pick<BenchTarget, "url" | "port" | "password">,
  own: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: target.url,
    PORT: String(target.port),
    HOST: "127.0.0.1",
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    AUDIT_HMAC_KEY: randomBytes(48).toString("base64url"),
    ADMIN_EMAIL: "bench@pilot.test",
    ADMIN_PASSWORD: target.password,
    LOG_LEVEL: "warn",
    ...own,
  };
}

/** The bench admin's bearer header (and JSON content type), from a fresh access token. */
export async function benchAuth(
  base: string,
  password: string,
): Promise<{ "Content-Type": string; Authorization: string }> {
  const res = await fetch(`${base}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "bench@pilot.test", password }),
  });
  if (!res.ok) throw new Error(`bench sign-in answered ${res.status}`);
  const { access_token: token } = (await res.json()) as { access_token: string };
  return { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
}
