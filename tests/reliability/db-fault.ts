// Database faults under ingest load, on a PostgreSQL of the scenario's own: the database is stopped
// mid-load and started again; then a statement is made to outlast statement_timeout behind a lock
// the scenario holds. Clients must get 503 problem+json with Retry-After (never a 500, never a
// hang), the app must recover without a restart, and nothing may be lost or stored twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { countByStatus, formatCounts, isRetryable503, send, statusLabel, type Answer } from "./http-client";
import { apiToken, Ingestor, keepAlive, sleep, type IngestRecord } from "./load";
import { ADMIN_EMAIL, freePort, serverEnv, sql, startCluster, startServer } from "./processes";
import { check, type Check, type ScenarioResult } from "./report";

export type DbFaultOptions = {
  loadSeconds: number; // total ingest load
  downAtSeconds: number; // when the database is stopped
  downForSeconds: number; // how long it stays down
  clients: number; // concurrent ingest clients
  statementTimeoutMs: number;
  log?: (line: string) => void;
};

const PASSWORD = "Reliability-db-fault-1";

export async function runDbFault(o: DbFaultOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => undefined);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const root = mkdtempSync(join(tmpdir(), "pib-dbfault-"));
  const cluster = await startCluster(root);
  try {
    await sql(cluster.url("postgres"), "create database pilot");
    const port = await freePort();
    const server = await startServer(
      serverEnv(port, {
        DATABASE_URL: cluster.url("pilot"),
        ADMIN_PASSWORD: PASSWORD,
        DATABASE_STATEMENT_TIMEOUT_MS: String(o.statementTimeoutMs),
      }),
    );
    try {
      const token = await apiToken(server.baseUrl, ADMIN_EMAIL, PASSWORD);
      const ingest = new Ingestor(server.baseUrl, token, keepAlive(o.clients));
      for (let i = 0; i < 5; i++) await ingest.unique(); // warm-up: compiled routes, filled pool

      // Load, with the database stopped in the middle and started again.
      const loadStart = Date.now();
      const end = loadStart + o.loadSeconds * 1000;
      const ready: Answer[] = [];
      let stoppedAt = 0;
      let restartedAt = 0;
      const fault = (async () => {
        await sleep(o.downAtSeconds * 1000);
        log("stopping the database");
        stoppedAt = Date.now();
        await cluster.stop();
        await sleep(o.downForSeconds * 1000);
        log("starting the database");
        await cluster.start();
        restartedAt = Date.now();
      })();
      const probe = (async () => {
        while (Date.now() < end) {
          ready.push(await send(`${server.baseUrl}/api/ready`, { agent: false }));
          await sleep(250);
        }
      })();
      await Promise.all([
        ...Array.from({ length: o.clients }, async () => {
          while (Date.now() < end) if ((await ingest.unique()).answer.status !== 201) await sleep(250);
        }),
        fault,
        probe,
      ]);
      const during = ingest.records.filter((r) => r.answer.startedAt >= loadStart);
      const bad = during.filter((r) => r.answer.status !== 201 && !isRetryable503(r.answer));
      const inWindow = during.filter((r) => r.answer.startedAt >= stoppedAt && r.answer.startedAt < restartedAt);
      const firstOkAfter = during
        .filter((r) => r.answer.status === 201 && r.answer.startedAt >= restartedAt)
        .sort((a, b) => a.answer.startedAt - b.answer.startedAt)[0];
      const slowest = Math.max(...during.map((r) => r.answer.ms));
      figures.push(
        [
          "ingest load",
          `${o.clients} clients, ${o.loadSeconds} s; database down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s from t=${o.downAtSeconds} s`,
        ],
        ["answers (whole load)", formatCounts(countByStatus(during.map((r) => r.answer)))],
        ["answers sent while the database was down", formatCounts(countByStatus(inWindow.map((r) => r.answer)))],
        [
          "/api/ready while down",
          formatCounts(countByStatus(ready.filter((a) => a.startedAt >= stoppedAt && a.startedAt < restartedAt))),
        ],
        [
          "first 201 after the database was back",
          firstOkAfter
            ? `${((firstOkAfter.answer.startedAt + firstOkAfter.answer.ms - restartedAt) / 1000).toFixed(2)} s`
            : "none",
        ],
        ["slowest answer", `${(slowest / 1000).toFixed(2)} s`],
      );
      check(
        checks,
        "while the database is down: every failure is a 503 problem+json with Retry-After",
        bad.length === 0,
        bad.length ? describe(bad) : `${during.length - countOk(during)} answers were 503`,
      );
      check(
        checks,
        "no 500 and no hang (client timeout 15 s)",
        during.every((r) => r.answer.status !== 500 && r.answer.error === null),
        `slowest ${(slowest / 1000).toFixed(2)} s`,
      );
      check(
        checks,
        "503s were seen while the database was down (the fault was real)",
        inWindow.some((r) => isRetryable503(r.answer)),
        formatCounts(countByStatus(inWindow.map((r) => r.answer))),
      );
      check(
        checks,
        "the same server process recovers (201 after the restart, no restart of the app)",
        Boolean(firstOkAfter) && server.child.exitCode === null,
        "",
      );
      check(
        checks,
        "/api/ready answers 503 while down and 200 after",
        ready.some((a) => a.status === 503 && a.startedAt >= stoppedAt && a.startedAt < restartedAt) &&
          ready.at(-1)?.status === 200,
        "",
      );

      // Clients retry what was not accepted: each retry succeeds (a replay if the first attempt had committed).
      const retried = await ingest.retryUntilAccepted(ingest.unansweredKeys());
      check(
        checks,
        "retries of requests that got 503 succeed",
        retried.every((r) => r.answer.status === 201),
        `${retried.length} retried: ${formatCounts(countByStatus(retried.map((r) => r.answer)))}; replayed ${retried.filter((r) => r.answer.headers["idempotent-replayed"] === "true").length}`,
      );

      // Statement timeout: a lock held here makes the ingest's statement wait past statement_timeout.
      const holder = new pg.Client({ connectionString: cluster.url("pilot") });
      await holder.connect();
      await holder.query("begin");
      await holder.query("lock table mass_request in access exclusive mode");
      const blocked = await ingest.unique();
      await holder.query("rollback");
      await holder.end();
      figures.push([
        "ingest behind a held lock (statement_timeout " + o.statementTimeoutMs + " ms)",
        `${statusLabel(blocked.answer)} after ${(blocked.answer.ms / 1000).toFixed(2)} s, Retry-After ${blocked.answer.headers["retry-after"] ?? "none"}`,
      ]);
      check(
        checks,
        "a statement past statement_timeout answers 503 with Retry-After, not 500",
        isRetryable503(blocked.answer),
        `${statusLabel(blocked.answer)} ${blocked.answer.body.slice(0, 120)}`,
      );
      const [after] = await ingest.retryUntilAccepted([blocked.key]);
      check(
        checks,
        "the same request succeeds once the lock is gone",
        after!.answer.status === 201,
        statusLabel(after!.answer),
      );

      // Nothing lost, nothing twice.
      const accepted = ingest.acceptedKeys();
      const rows = await sql<{ key: string; n: number }>(
        cluster.url("pilot"),
        "select idempotency_key as key, count(*)::int as n from mass_request group by 1",
      );
      const stored = new Map(rows.map((r) => [r.key, r.n]));
      const missing = [...accepted].filter((k) => !stored.has(k));
      const twice = rows.filter((r) => r.n > 1);
      const [audit] = await sql<{ n: number }>(
        cluster.url("pilot"),
        "select count(*)::int as n from audit_event where action = 'mass.ingest'",
      );
      figures.push(["keys sent / answered 201 / stored", `${ingest.sentKeys()} / ${accepted.size} / ${rows.length}`]);
      check(
        checks,
        "every request answered 201 is stored",
        missing.length === 0,
        missing.length ? `missing: ${missing.slice(0, 3).join(", ")}` : `${accepted.size} stored`,
      );
      check(
        checks,
        "nothing is stored twice, nothing is stored that was never answered 201",
        twice.length === 0 && rows.length === accepted.size,
        `${rows.length} rows for ${accepted.size} accepted keys`,
      );
      check(
        checks,
        "one mass.ingest audit event per stored request",
        audit!.n === rows.length,
        `${audit!.n} events, ${rows.length} requests`,
      );
    } finally {
      if (process.env.RELIABILITY_DEBUG) logUnusualServerErrors(server.output, log);
      const code = await server.stop();
      check(checks, "the server stops cleanly afterwards (exit code 0)", code === 0, `exit ${code}`);
    }
  } finally {
    if (cluster.running()) await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return { scenario: "Database faults", checks, figures };
}

function countOk(records: IngestRecord[]): number {
  return records.filter((r) => r.answer.status === 201).length;
}

function describe(records: IngestRecord[]): string {
  return records
    .slice(0, 3)
    .map(
      (r) =>
        `${statusLabel(r.answer)} ${String(r.answer.headers["content-type"] ?? "")} ${r.answer.body.slice(0, 100)}`,
    )
    .join(" | ");
}

/** With RELIABILITY_DEBUG: the server's failed-request lines other than the expected "database down" ones. */
function logUnusualServerErrors(output: string[], log: (line: string) => void): void {
  for (const line of output)
    if (line.includes('"request failed"') && !/Can't reach database|57P0[13]|Connection terminated/.test(line))
      log(line.slice(0, 2000));
}
