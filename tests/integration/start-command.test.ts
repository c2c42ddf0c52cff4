// `npm start` on the embedded database, as a user runs it: first start creates the admin and
// prints the password once; the background loops run in a worker process of their own (a MASS
// request gets its recommendation); SIGTERM stops the server, the worker and the database with no
// process left;
// the demo year is loaded on the first start only; a second start keeps the users, the audit trail
// and the data.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execSync } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/net/free-port";

const dataDir = mkdtempSync(join(tmpdir(), "pib-start-"));

function start(port: number): { child: ChildProcess; output: string[]; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PIB_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  const child = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      output.push(...c.toString().split("\n"));
      if (output.some((l) => l.includes("[pilot] ready:"))) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`npm start exited ${code}:\n${output.join("\n")}`)));
  });
  return { child, output, ready };
}

/** SIGTERM to npm, then wait until every process holding its output (npm, tsx, server) is gone. */
async function stop(child: ChildProcess): Promise<void> {
  const closed = Promise.all([
    new Promise((r) => child.stdout?.once("close", r)),
    new Promise((r) => child.stderr?.once("close", r)),
  ]);
  child.kill("SIGTERM");
  await closed;
}

function processesUsing(dir: string): string[] {
  try {
    return execSync(`pgrep -af "${dir}"`, { encoding: "utf8" })
      .split("\n")
      .filter((l) => l && !l.includes("pgrep"));
  } catch {
    return [];
  }
}

async function token(port: number, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "admin@localhost", password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function eventually<T>(
  probe: () => T | null | undefined | Promise<T | null | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The server ran as the login role pib_app, which may not empty or rewrite the audit trail. */
async function expectRuntimeRole(output: string[]): Promise<void> {
  const dbPort = /embedded PostgreSQL ready on 127\.0\.0\.1:(\d+)/.exec(output.join("\n"))?.[1];
  expect(dbPort).toBeDefined();
  for (const secret of ["pg-app.secret", "audit-hmac.key"])
    expect(statSync(join(dataDir, secret)).mode & 0o777).toBe(0o600);
  const password = readFileSync(join(dataDir, "pg.secret"), "utf8").trim();
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${dbPort}/pilot`,
  });
  await client.connect();
  try {
    const users = await client.query<{ usename: string }>(
      "select distinct usename from pg_stat_activity where datname = 'pilot' and backend_type = 'client backend' and pid <> pg_backend_pid()",
    );
    expect(users.rows.map((r) => r.usename)).toEqual(["pib_app"]);
    const privileges = await client.query(
      `select has_table_privilege('pib_app', 'audit_event', 'INSERT') as ins, has_table_privilege('pib_app', 'audit_event', 'DELETE') as del,
              has_table_privilege('pib_app', 'audit_event', 'TRUNCATE') as trunc, pg_get_userbyid(relowner) as owner
         from pg_class where relname = 'audit_event'`,
    );
    expect(privileges.rows).toEqual([{ ins: true, del: false, trunc: false, owner: "postgres" }]);
  } finally {
    await client.end();
  }
}

describe("npm start", () => {
  it("creates the admin once, stops cleanly, and keeps users and audit events across a restart", async () => {
    const port = await freePort();
    const first = start(port);
    await first.ready;
    const line = first.output.find((l) => l.includes("password:"));
    const password = line?.split("password:")[1]?.trim() ?? "";
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    const firstJwt = await token(port, password);
    const workerPid = Number(
      /background worker running \(pid (\d+)\)/.exec(
        (await eventually(() => first.output.find((l) => l.includes("background worker running")))) ?? "",
      )?.[1],
    );
    expect(workerPid).toBeGreaterThan(0);
    // A MASS request gets its recommendation from the worker process.
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    const ingest = await fetch(`http://127.0.0.1:${port}/api/v1/mass/generate`, {
      method: "POST",
      headers: { Authorization: `Bearer ${firstJwt}`, "Content-Type": "application/json" },
      body: JSON.stringify(doc),
    });
    expect(ingest.status).toBe(201);
    const massId = ((await ingest.json()) as { id: string }).id;
    await eventually(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/recommendations?mass_request_id=${massId}`, {
        headers: { Authorization: `Bearer ${firstJwt}` },
      });
      return ((await res.json()) as { items: unknown[] }).items.length > 0 || null;
    });
    await stop(first.child);
    expect(first.output.join("\n")).toContain("embedded PostgreSQL stopped");
    expect(processesUsing(dataDir)).toEqual([]);
    expect(alive(workerPid)).toBe(false);

    const second = start(port);
    await second.ready;
    expect(first.output.join("\n")).toContain("demo data loaded: version 1");
    expect(second.output.join("\n")).not.toContain("first admin created");
    expect(second.output.join("\n")).not.toContain("demo data loaded");
    const jwt = await token(port, password);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/audit?action=auth.token_issued`, {
      headers: { Authorization: `Bearer ${jwt}` },
    });
    const body = (await res.json()) as { items: unknown[] };
    expect(body.items).toHaveLength(2);
    const verify = await fetch(`http://127.0.0.1:${port}/api/v1/audit/verify`, {
      headers: { Authorization: `Bearer ${jwt}` },
    });
    expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
    const datasets = await fetch(`http://127.0.0.1:${port}/api/v1/datasets`, {
      headers: { Authorization: `Bearer ${jwt}` },
    });
    const { items } = (await datasets.json()) as {
      items: { tenant_id: string; versions: { version: number; row_count: number; quality_passes: boolean }[] }[];
    };
    expect(items.map((d) => [d.tenant_id, d.versions.map((v) => [v.version, v.row_count, v.quality_passes])])).toEqual([
      ["demo", [[1, 210_240, true]]],
    ]);
    await expectRuntimeRole(second.output);
    await stop(second.child);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 180_000);
});
