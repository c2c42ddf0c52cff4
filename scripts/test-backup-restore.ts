// `npm run db:backup:test`: proves scripts/db-backup.sh and scripts/db-restore.sh round-trip a
// real database. On a PostgreSQL server (PIB_BACKUP_TEST_SERVER, else TEST_DATABASE_ADMIN_URL,
// else postgresql://postgres@127.0.0.1:5432/postgres) it creates a scratch database, migrates it,
// fills it through the app's own code (the first admin; a CSV dataset with `npm run
// dataset:load`, which migrates first; MASS Simple and enterprise requests and an idempotent replay with ingestMass),
// seals the audit chain and leaves a fresh unsealed event, backs it up, restores it into a second
// scratch database, and checks: the same tables, row counts, row contents (digests), sequences
// and triggers; the audit trail still refuses UPDATE/DELETE/TRUNCATE; `npm run audit:verify`
// passes on the copy with the same head hash as the original; and the copy takes new data (a
// second dataset) and still verifies, while an event altered behind the triggers' back is
// caught. Both databases are dropped at the end. Exit code 0 or 1.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Principal } from "@/lib/access/principal";

const log = (line: string): void => console.log(`[backup-test] ${line}`);
// One audit key for this process and every command it runs (audit:verify reads .data/audit-hmac.key
// otherwise, which may exist from an earlier `npm start` and would not match this chain).
process.env.AUDIT_HMAC_KEY ??= randomBytes(48).toString("base64url");
const serverUrl =
  process.env.PIB_BACKUP_TEST_SERVER ??
  process.env.TEST_DATABASE_ADMIN_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function run(what: string, command: string, args: string[], env: Record<string, string>): string {
  const result = spawnSync(command, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

function csv(siteId: string, days: number): string {
  const lines = ["timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw,avg_rack_inlet_c"];
  const start = Date.UTC(2026, 9, 1);
  for (let i = 0; i < days * 96; i++) {
    const t = new Date(start + i * 15 * 60_000).toISOString();
    for (const cluster of ["c1", "c2"]) {
      const it = 800 + 100 * Math.sin(i / 20) + (cluster === "c2" ? 150 : 0);
      lines.push(
        `${t},${siteId},${cluster},${it.toFixed(1)},${(it * 1.38).toFixed(1)},${(23 + Math.sin(i / 30)).toFixed(2)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

type Snapshot = {
  counts: Record<string, number>;
  digests: Record<string, string>;
  sequences: Record<string, string | null>;
  triggers: string[];
};

async function snapshot(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (
      await client.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = 'public' order by 1",
      )
    ).rows.map((r) => r.tablename);
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = Number((await client.query(`select count(*) as n from "${t}"`)).rows[0].n);
    const digests: Record<string, string> = {};
    for (const [table, order] of [
      ["mass_request", "id"],
      ["observation", "id"],
      ["audit_event", "seq"],
      ["app_user", "id"],
      ["dataset_version", "id"],
    ] as const) {
      digests[table] = (
        await client.query(
          `select md5(coalesce(string_agg(t::text, E'\\n' order by t.${order}), '')) as d from "${table}" t`,
        )
      ).rows[0].d;
    }
    const sequences = Object.fromEntries(
      (
        await client.query<{ sequencename: string; last_value: string | null }>(
          "select sequencename, last_value::text from pg_sequences where schemaname = 'public' order by 1",
        )
      ).rows.map((r) => [r.sequencename, r.last_value]),
    );
    const triggers = (
      await client.query<{ name: string }>(
        "select c.relname || '.' || t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal order by 1",
      )
    ).rows.map((r) => r.name);
    return { counts, digests, sequences, triggers };
  } finally {
    await client.end();
  }
}

async function fillThroughTheApp(url: string, workDir: string): Promise<void> {
  // Observations and their audit events, exactly as an operator loads a CSV.
  const file = join(workDir, "telemetry.csv");
  writeFileSync(file, csv("br1", 2));
  const loaded = JSON.parse(
    run(
      "npm run dataset:load",
      "npm",
      ["run", "--silent", "dataset:load", "--", file, "--name", "backup-test", "--tenant", "acme"],
      { DATABASE_URL: url },
    ),
  ) as { rows: number };
  log(`dataset:load stored ${loaded.rows} observation rows`);

  // MASS requests through the same function the API routes call. The modules read DATABASE_URL
  // when first used: this process only ever talks to the source database.
  process.env.DATABASE_URL = url;
  const { ensureFirstAdmin } = await import("@/lib/users/ensure-first-admin");
  await ensureFirstAdmin({
    ADMIN_EMAIL: "admin@backup.test",
    ADMIN_PASSWORD: `Backup-${randomBytes(9).toString("base64url")}`,
  });
  const { ingestMass } = await import("@/lib/mass/ingest");
  const principal: Principal = {
    kind: "api_token",
    id: "backup-restore-test",
    label: "backup/restore test",
    role: "analyst",
    tenantIds: [],
    via: "api_token",
  };
  const context = (n: number) => ({ requestId: `backup-test-${n}`, ip: "127.0.0.1", userAgent: "test-backup-restore" });
  let n = 0;
  for (let hour = 0; hour < 3; hour++) {
    const body = {
      payload: {
        tenant_id: "acme",
        site_id: "br1",
        cluster_id: "c1",
        timestamp_utc: `2026-10-03T0${hour}:00:00Z`,
        interval_seconds: 3600,
        it_load_kw: 900 + hour,
        facility_power_kw: 1250 + hour,
      },
    };
    const result = await ingestMass({
      kind: "simple",
      body,
      principal,
      context: context(++n),
      idempotencyKeyHeader: `br1-c1-h${hour}`,
      traceparentHeader: null,
    });
    if (result.status !== 201)
      throw new Error(`MASS Simple ingest answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  const replay = await ingestMass({
    kind: "simple",
    body: {
      payload: {
        tenant_id: "acme",
        site_id: "br1",
        cluster_id: "c1",
        timestamp_utc: "2026-10-03T00:00:00Z",
        interval_seconds: 3600,
        it_load_kw: 900,
        facility_power_kw: 1250,
      },
    },
    principal,
    context: context(++n),
    idempotencyKeyHeader: "br1-c1-h0",
    traceparentHeader: null,
  });
  if (!replay.replayed) throw new Error("the repeated MASS request was not an idempotent replay");
  const enterprise = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as unknown;
  const sent = await ingestMass({
    kind: "enterprise",
    body: enterprise,
    principal,
    context: context(++n),
    idempotencyKeyHeader: null,
    traceparentHeader: null,
    now: new Date("2026-11-20T14:00:10Z"),
  });
  if (sent.status !== 201)
    throw new Error(`enterprise MASS ingest answered ${sent.status}: ${JSON.stringify(sent.body)}`);

  // Seal the chain, then leave one event unsealed: the backup must carry both kinds.
  const { verifyAuditChain } = await import("@/lib/audit/verify-chain");
  const sealed = await verifyAuditChain();
  if (!sealed.ok) throw new Error(`the source chain does not verify: ${JSON.stringify(sealed)}`);
  await ingestMass({
    kind: "simple",
    body: {
      payload: {
        tenant_id: "acme",
        site_id: "br1",
        cluster_id: "c2",
        timestamp_utc: "2026-10-03T05:00:00Z",
        it_load_kw: 700,
      },
    },
    principal,
    context: context(++n),
    idempotencyKeyHeader: "br1-c2-h5",
    traceparentHeader: null,
  });
  log(`ingested ${n - 1} MASS requests (one replay), sealed ${sealed.checked} audit events, left 1 unsealed`);
}

/** Seals the source's tail (after the backup was taken) and closes this process's pools. */
async function sealSourceAndDisconnect(): Promise<Verification> {
  const { verifyAuditChain } = await import("@/lib/audit/verify-chain");
  const verified = await verifyAuditChain();
  const { db } = await import("@/lib/db");
  // Closes lib/db.ts's pool too (the adapter disposes of it).
  await db().$disconnect();
  const { pgPool } = await import("@/lib/db/pg-pool");
  await pgPool().end();
  return verified;
}

type Verification = { ok: boolean; checked: number; headHash: string | null; unsealed: number };

function auditVerify(url: string): Verification {
  return JSON.parse(
    run("npm run audit:verify", "npm", ["run", "--silent", "audit:verify"], { DATABASE_URL: url }),
  ) as Verification;
}

async function refused(url: string, sql: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return false;
  } catch {
    return true;
  } finally {
    await client.end();
  }
}

function same(label: string, a: unknown, b: unknown, failures: string[]): void {
  if (JSON.stringify(a) !== JSON.stringify(b))
    failures.push(`${label} differ:\n  source:   ${JSON.stringify(a)}\n  restored: ${JSON.stringify(b)}`);
}

async function main(): Promise<number> {
  const suffix = `${Date.now()}_${randomBytes(3).toString("hex")}`;
  const source = `pib_backup_src_${suffix}`;
  const target = `pib_backup_dst_${suffix}`;
  const workDir = mkdtempSync(join(tmpdir(), "pib-backup-test-"));
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const failures: string[] = [];
  try {
    await admin.query(`create database "${source}"`);
    await admin.query(`create database "${target}"`);
    const sourceUrl = databaseUrl(source);
    const targetUrl = databaseUrl(target);
    log(`server ${new URL(serverUrl).host}: scratch databases ${source}, ${target}`);

    // dataset:load applies the migrations first (scripts/migrate.ts deploy), as npm start does.
    await fillThroughTheApp(sourceUrl, workDir);
    const before = await snapshot(sourceUrl);
    for (const table of ["mass_request", "observation", "audit_event"]) {
      if (!before.counts[table]) failures.push(`the source has no ${table} rows: the test proves nothing`);
    }

    // Prisma-style query parameters must not trip libpq.
    const dump = join(workDir, "backups", "pilot.dump");
    log(
      run("db-backup.sh", "bash", ["scripts/db-backup.sh", dump], {
        DATABASE_URL: `${sourceUrl}?schema=public&connection_limit=5`,
      }).trim(),
    );
    const verifiedSource = await sealSourceAndDisconnect();
    log(run("db-restore.sh", "bash", ["scripts/db-restore.sh", dump], { DATABASE_URL: targetUrl }).trim());

    const after = await snapshot(targetUrl);
    same("tables and row counts", before.counts, after.counts, failures);
    same(
      "row digests (mass_request, observation, audit_event, app_user, dataset_version)",
      before.digests,
      after.digests,
      failures,
    );
    same("sequences", before.sequences, after.sequences, failures);
    same("triggers", before.triggers, after.triggers, failures);
    for (const sql of [
      "update audit_event set action = 'tampered' where seq = (select min(seq) from audit_event)",
      "delete from audit_event where seq = (select min(seq) from audit_event)",
      "truncate audit_event",
    ]) {
      if (!(await refused(targetUrl, sql))) failures.push(`the restored audit trail accepted: ${sql}`);
    }

    // A restore into a database that already has tables is refused without --clean.
    const again = spawnSync("bash", ["scripts/db-restore.sh", dump], {
      env: { ...process.env, DATABASE_URL: targetUrl },
      encoding: "utf8",
    });
    if (again.status === 0) failures.push("db-restore.sh restored over a non-empty database without --clean");

    const verifiedCopy = auditVerify(targetUrl);
    if (!verifiedCopy.ok) failures.push(`audit:verify fails on the restored database: ${JSON.stringify(verifiedCopy)}`);
    if (verifiedCopy.checked !== before.counts.audit_event)
      failures.push(
        `audit:verify checked ${verifiedCopy.checked} events, the backup holds ${before.counts.audit_event}`,
      );
    if (verifiedCopy.unsealed !== 0) failures.push(`${verifiedCopy.unsealed} events left unsealed after verify`);
    same(
      "audit chain head (source vs restored, both sealed)",
      verifiedSource.headHash,
      verifiedCopy.headHash,
      failures,
    );
    log(
      `audit:verify on the restored database: ok=${verifiedCopy.ok}, ${verifiedCopy.checked} events, head ${verifiedCopy.headHash?.slice(0, 16)}…`,
    );

    // The copy is a working database: new data, new audit events, the chain still verifies.
    const more = join(workDir, "more.csv");
    writeFileSync(more, csv("br2", 1));
    run(
      "npm run dataset:load (restored)",
      "npm",
      ["run", "--silent", "dataset:load", "--", more, "--name", "after-restore", "--tenant", "acme"],
      { DATABASE_URL: targetUrl },
    );
    const extended = auditVerify(targetUrl);
    if (!extended.ok || extended.checked <= verifiedCopy.checked)
      failures.push(`after new writes, audit:verify: ${JSON.stringify(extended)}`);
    log(`after a new dataset on the restored database: ok=${extended.ok}, ${extended.checked} events`);

    // And the check has teeth: the same verifier names a tampered event in the copy.
    const tamper = new pg.Client({ connectionString: targetUrl });
    await tamper.connect();
    await tamper.query("alter table audit_event disable trigger user");
    await tamper.query("update audit_event set action = 'tampered' where seq = (select min(seq) from audit_event)");
    await tamper.query("alter table audit_event enable trigger user");
    await tamper.end();
    const tampered = spawnSync("npm", ["run", "--silent", "audit:verify"], {
      env: { ...process.env, DATABASE_URL: targetUrl },
      encoding: "utf8",
    });
    if (tampered.status !== 2) failures.push(`audit:verify did not detect a tampered event (exit ${tampered.status})`);
    else log("audit:verify detects an event tampered with after the restore (exit 2), as it should");

    log(
      `rows: ${["mass_request", "observation", "audit_event", "dataset_version", "app_user"].map((t) => `${t} ${after.counts[t]}`).join(", ")}`,
    );
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const name of [source, target])
      await admin.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
    await admin.end();
    rmSync(workDir, { recursive: true, force: true });
  }
  for (const f of failures) console.error(`[backup-test] FAIL ${f}`);
  log(
    failures.length ? `${failures.length} failures` : "backup → restore round trip: identical data, intact audit chain",
  );
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[backup-test] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
