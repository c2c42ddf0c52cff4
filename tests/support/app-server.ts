// A second production server of the app, on its own database, for tests that need a configuration
// the shared test server does not have (e.g. BIOCORE_URL pointing at a misbehaving fake).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";

export type AppServer = { baseUrl: string; databaseUrl: string; adminEmail: string; adminPassword: string; stdout: string[]; stop: () => Promise<void> };

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

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
  const prepared = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/prepare-db.ts"], { env, encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(`prepare-db failed: ${prepared.stderr}`);
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], { env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const stdout: string[] = [];
  server.stdout?.on("data", (c: Buffer) => {
    stdout.push(...c.toString().split("\n").filter(Boolean));
    if (stdout.length > 5000) stdout.splice(0, stdout.length - 5000);
  });
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
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: url.toString(),
    adminEmail,
    adminPassword,
    stdout,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (server.exitCode === null) server.kill("SIGKILL");
      }
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}
