// SIGTERM to `npm start` (the product with its embedded PostgreSQL) under ingest load, while some
// requests are in flight and the recommendation worker holds claimed jobs: in-flight requests
// complete, new ones are refused (503 or connection refused), the worker hands its jobs back, the
// database stops cleanly, and a restart loses nothing and processes the pending jobs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { countByStatus, formatCounts, isRetryable503, statusLabel } from "./http-client";
import { startFakeBiocore } from "./fake-biocore";
import { apiToken, eventually, Ingestor, sleep, type IngestRecord } from "./load";
import { ADMIN_EMAIL, freePort, postmasterPidLeft, processesMentioning, sql, startProduct } from "./processes";
import { check, type Check, type ScenarioResult } from "./report";

export type ShutdownOptions = { clients: number; loadBeforeSeconds: number; log?: (line: string) => void };

const PASSWORD = "Reliability-shutdown-1";

export async function runGracefulShutdown(o: ShutdownOptions): Promise<ScenarioResult> {
  const log = o.log ?? (() => undefined);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "pib-shutdown-"));
  // BioCore answers after a minute: the worker is holding its claimed jobs when SIGTERM comes.
  const biocore = await startFakeBiocore(60_000);
  const env = {
    BIOCORE_URL: biocore.url,
    BIOCORE_TIMEOUT_MS: "120000",
    BIOCORE_WORKER_POLL_MS: "200",
    BIOCORE_JOB_RETRY_BASE_MS: "200",
    VERIFY_WORKER: "false",
  };
  const port = await freePort();
  try {
    log("npm start (first run)");
    let t = performance.now();
    const first = await startProduct(dataDir, port, env, PASSWORD);
    figures.push([
      "npm start to ready (first run: initdb, migrations, admin)",
      `${((performance.now() - t) / 1000).toFixed(1)} s`,
    ]);
    const token = await apiToken(first.baseUrl, ADMIN_EMAIL, PASSWORD);
    // One connection per request: a request sent after the server closed is refused, not reset.
    const ingest = new Ingestor(first.baseUrl, token, false);
    for (let i = 0; i < 4; i++) await ingest.unique();
    const claimedBy = await eventually("a claimed recommendation job", async () => {
      const rows = await sql<{ locked_by: string }>(
        first.databaseUrl(),
        "select distinct locked_by from recommendation_job where status = 'running'",
      );
      return rows[0]?.locked_by ?? null;
    });

    // Load, then requests held in flight by a lock this scenario takes on mass_request, then SIGTERM.
    let stopping = false;
    let paused = false;
    let loadInFlight = 0;
    let stoppedAt = 0;
    const load = Promise.all(
      Array.from({ length: o.clients }, async () => {
        while (!stoppedAt || Date.now() < stoppedAt + 1000) {
          if (paused) {
            await sleep(20);
            continue;
          }
          loadInFlight++;
          await ingest.unique().finally(() => loadInFlight--);
          if (stopping) await sleep(500);
        }
      }),
    );
    await sleep(o.loadBeforeSeconds * 1000);
    // Four requests provably in flight: with the load paused, they are the only inserts PostgreSQL
    // shows waiting for the lock this scenario holds (reads pass, inserts wait).
    paused = true;
    await eventually("the load to pause", async () => (loadInFlight === 0 ? true : null), 30_000, 20);
    const holder = new pg.Client({ connectionString: first.databaseUrl() });
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table mass_request in exclusive mode");
    const inFlight = Array.from({ length: 4 }, () => ingest.unique());
    await eventually(
      "four inserts waiting for the lock",
      async () => {
        const [w] = await sql<{ n: number }>(
          first.databaseUrl(),
          "select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'mass_request' and not l.granted",
        );
        return w!.n === 4 ? true : null;
      },
      30_000,
      50,
    );
    paused = false;
    await sleep(300);
    log("SIGTERM to npm start");
    const sigtermAt = Date.now();
    stopping = true;
    t = performance.now();
    const stopped = first.stop();
    await sleep(1500);
    await holder.query("rollback").catch(() => undefined);
    await holder.end().catch(() => undefined);
    const held = await Promise.all(inFlight);
    const code = await stopped;
    stoppedAt = Date.now();
    const shutdownSeconds = (performance.now() - t) / 1000;
    await load;

    const before = ingest.records.filter((r) => r.answer.startedAt < sigtermAt);
    const after = ingest.records.filter((r) => r.answer.startedAt >= sigtermAt);
    const refused = (r: IngestRecord) => r.answer.status === 0 && r.answer.error === "ECONNREFUSED";
    figures.push(
      ["SIGTERM to every process gone", `${shutdownSeconds.toFixed(1)} s`],
      ["requests held in flight at SIGTERM", formatCounts(countByStatus(held.map((r) => r.answer)))],
      ["answers to requests sent before SIGTERM", formatCounts(countByStatus(before.map((r) => r.answer)))],
      ["answers to requests sent after SIGTERM", formatCounts(countByStatus(after.map((r) => r.answer)))],
    );
    check(
      checks,
      "requests in flight at SIGTERM complete with 201",
      held.every((r) => r.answer.status === 201),
      formatCounts(countByStatus(held.map((r) => r.answer))),
    );
    check(
      checks,
      "requests sent before SIGTERM: 201, or 503 if they reached a draining server",
      before.every((r) => r.answer.status === 201 || isRetryable503(r.answer)),
      formatCounts(countByStatus(before.map((r) => r.answer))),
    );
    check(
      checks,
      "requests sent after SIGTERM: 503 problem+json with Retry-After, or connection refused",
      after.every((r) => isRetryable503(r.answer) || refused(r)),
      formatCounts(countByStatus(after.map((r) => r.answer))),
    );
    check(
      checks,
      "after SIGTERM new requests were actually refused",
      after.some((r) => isRetryable503(r.answer) || refused(r)),
      "",
    );
    check(
      checks,
      "npm start exits 0 and reports the embedded database stopped",
      code === 0 && first.output.some((l) => l.includes("embedded PostgreSQL stopped")),
      `exit ${code}`,
    );
    check(
      checks,
      "no postmaster.pid left, no process left using the data directory",
      !postmasterPidLeft(dataDir) && processesMentioning(dataDir).length === 0,
      `postmaster.pid ${postmasterPidLeft(dataDir) ? "left" : "gone"}; ${processesMentioning(dataDir).join("; ")}`,
    );

    // Restart with a prompt BioCore: nothing lost, the handed-back jobs get processed.
    biocore.setDelayMs(0);
    log("npm start (restart)");
    t = performance.now();
    const second = await startProduct(dataDir, port, env, PASSWORD);
    figures.push(["npm start to ready (restart)", `${((performance.now() - t) / 1000).toFixed(1)} s`]);
    const readyAt = performance.now();
    const url = second.databaseUrl();
    const [left] = await sql<{ n: number }>(
      url,
      "select count(*)::int as n from recommendation_job where status = 'running' and locked_by = $1",
      [claimedBy],
    );
    check(
      checks,
      "no job is left claimed by the stopped worker",
      left!.n === 0,
      `${left!.n} still claimed by ${claimedBy}`,
    );
    const accepted = ingest.acceptedKeys();
    const rows = await sql<{ key: string; n: number }>(
      url,
      "select idempotency_key as key, count(*)::int as n from mass_request group by 1",
    );
    const stored = new Map(rows.map((r) => [r.key, r.n]));
    const missing = [...accepted].filter((k) => !stored.has(k));
    check(
      checks,
      "every request answered 201 is stored after the restart",
      missing.length === 0,
      `${accepted.size} answered 201, ${missing.length} missing`,
    );
    const unaccepted = rows.filter((r) => !accepted.has(r.key));
    check(
      checks,
      "nothing stored twice; nothing stored that was not answered 201",
      rows.every((r) => r.n === 1) && unaccepted.length === 0,
      `${rows.length} stored, ${unaccepted.length} without a 201`,
    );
    const retried = await ingest.retryUntilAccepted(ingest.unansweredKeys());
    check(
      checks,
      "requests refused during shutdown succeed when retried after the restart",
      retried.every((r) => r.answer.status === 201),
      `${retried.length} retried: ${formatCounts(countByStatus(retried.map((r) => r.answer)))}`,
    );
    const [counts] = await sql<{ requests: number; distinct_keys: number }>(
      url,
      "select count(*)::int as requests, count(distinct idempotency_key)::int as distinct_keys from mass_request",
    );
    figures.push([
      "keys sent / answered 201 (after retries) / stored",
      `${ingest.sentKeys()} / ${ingest.acceptedKeys().size} / ${counts!.requests}`,
    ]);
    check(
      checks,
      "stored requests = distinct keys answered 201",
      counts!.requests === ingest.acceptedKeys().size && counts!.distinct_keys === counts!.requests,
      "",
    );
    const jobs = await eventually(
      "every recommendation job done",
      async () => {
        const [j] = await sql<{ total: number; done: number; open: number }>(
          url,
          "select count(*)::int as total, count(*) filter (where status = 'done')::int as done, count(*) filter (where status in ('pending', 'running'))::int as open from recommendation_job",
        );
        return j!.open === 0 ? j! : null;
      },
      120_000,
      500,
    ).catch(() => null);
    figures.push([
      "recommendation jobs after the restart",
      jobs
        ? `${jobs.done} of ${jobs.total} done ${((performance.now() - readyAt) / 1000).toFixed(1)} s after ready (retries included)`
        : "not all done within 120 s",
    ]);
    check(
      checks,
      "pending jobs are processed after the restart",
      jobs !== null && jobs.done === jobs.total,
      jobs ? `${jobs.done}/${jobs.total}` : "timed out",
    );
    const code2 = await second.stop();
    check(
      checks,
      "the restarted product stops cleanly too (exit 0, database stopped, nothing left)",
      code2 === 0 &&
        second.output.some((l) => l.includes("embedded PostgreSQL stopped")) &&
        !postmasterPidLeft(dataDir) &&
        processesMentioning(dataDir).length === 0,
      `exit ${code2}; postmaster.pid ${postmasterPidLeft(dataDir) ? "left" : "gone"}; ${processesMentioning(dataDir).length} processes left`,
    );
    log(`held answers: ${held.map((r) => statusLabel(r.answer)).join(",")}`);
  } finally {
    await biocore.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { scenario: "Graceful shutdown (npm start, embedded PostgreSQL)", checks, figures };
}
