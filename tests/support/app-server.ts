// A second production server of the app, on its own database, for tests that need a configuration
// the shared test server does not have (e.g. BIOCORE_URL pointing at a misbehaving fake). With
// WORKER_MODE=process, the background process (scripts/worker.ts) runs beside it, as `npm start`
// runs them; the test may stop and start it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";

export type AppServer = {
  baseUrl: string;
  databaseUrl: string;
  adminEmail: string;
  adminPassword: string;
  stdout: string[];
  /** The worker process (WORKER_MODE=process), while it runs. */
  worker: () => ChildProcess | null;
  startWorker: () => Promise<ChildProcess>;
  stopWorker: () => Promise<void>;
  stop: () => Promise<void>;
};

/** SIGTERM, then SIGKILL after 10 s. */
async function stopProcess(p: ChildProcess | null): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
}

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Collects whole lines of a stream into `lines` (at most `cap`, the oldest dropped): a line may
 * arrive split over two chunks, and each stream keeps its own partial line.
 */
function collectLines(stream: NodeJS.ReadableStream | null | undefined, lines: string[], cap = Infinity): void {
  let partial = "";
  stream?.on("data", (c: Buffer) => {
    const parts = (partial + c.toString()).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
    if (lines.length > cap) lines.splice(0, lines.length - cap);
  });
  stream?.on("end", () => {
    if (partial) lines.push(partial);
    partial = "";
  });
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}

export async function startAppServer(extraEnv: Record<string, string>): Promise<AppServer> {
  const name = `pib_test_extra_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const port = await freePort();
  const adminEmail = "admin@extra.test";
  const adminPassword = `Admin-${randomBytes(9).toString("base64url")}`;
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    DATABASE_URL: url.toString(),
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    AUDIT_HMAC_KEY: randomBytes(48).toString("base64url"),
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    TRUST_PROXY: "true",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    DEMO_DATA: "false",
    ...extraEnv,
  };
  const prepared = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"],
    { env, encoding: "utf8" },
  );
  if (prepared.status !== 0) throw new Error(`prepare-db failed: ${prepared.stderr}`);
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const stdout: string[] = [];
  collectLines(server.stdout, stdout, 5000);
  const errors: string[] = [];
  server.stderr?.on("data", (c: Buffer) => errors.push(c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`extra server did not start: ${errors.join("")}`)), 60_000);
    server.on("message", (m: { type?: string }) => {
      if (m.type === "listening") {
        clearTimeout(timer);
        resolve();
      }
    });
    server.once("exit", (code) => reject(new Error(`extra server exited with ${code}: ${errors.join("")}`)));
  });
  let worker: ChildProcess | null = null;
  const startWorker = async (): Promise<ChildProcess> => {
    const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    collectLines(w.stdout, stdout);
    const werrors: string[] = [];
    w.stderr?.on("data", (c: Buffer) => werrors.push(c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${werrors.join("")}`)), 60_000);
      w.on("message", (m: { type?: string }) => {
        if (m.type === "worker-ready") {
          clearTimeout(timer);
          resolve();
        }
      });
      w.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${werrors.join("")}`)));
    });
    worker = w;
    return w;
  };
  const stopWorker = async (): Promise<void> => {
    await stopProcess(worker);
    worker = null;
  };
  if (extraEnv.WORKER_MODE === "process") await startWorker();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: url.toString(),
    adminEmail,
    adminPassword,
    stdout,
    worker: () => worker,
    startWorker,
    stopWorker,
    stop: async () => {
      await Promise.all([stopProcess(server), stopWorker()]);
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}
