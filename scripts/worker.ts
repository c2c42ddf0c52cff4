// The background process (WORKER_MODE=process): the recommendation worker, the verification pass
// and the audit-chain sealer, off the HTTP server's event loop and CPU. `npm start` starts it beside
// scripts/serve.ts; a container runs it as the `worker` command (deploy/docker/entrypoint.sh).
//   - a lower CPU priority (WORKER_NICE, default 10): when the machine is busy, requests come first;
//   - a database pool of its own, bounded (WORKER_POOL_MAX, default 2), plus one connection that
//     LISTENs for the server's nudges (lib/background/worker-signal.ts) and at most one for COPY;
//   - jobs claimed in batches (BIOCORE_WORKER_BATCH), woken by NOTIFY, polled as a fallback;
//   - without BIOCORE_URL, the reference engine served here, on a loopback port of its own
//     (lib/biocore/reference-server.ts), so the jobs' BioCore calls cost the web server nothing;
//   - its metrics (the BioCore calls are made here, not in the server) on WORKER_METRICS_PORT, for
//     the bearer of METRICS_TOKEN, when both are set;
//   - SIGTERM/SIGINT (or its parent going away): stops claiming, hands back claimed jobs, exits.
// Run with `node --conditions=react-server --import tsx scripts/worker.ts`.
import { timingSafeEqual } from "node:crypto";
import { readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { setPriority } from "node:os";
import type { ReferenceServer } from "../lib/biocore/reference-server";
import { env } from "../lib/env";
import { routeConsoleToLog } from "../lib/observability/console-to-log";
import { logger, type Level, type LogFields } from "../lib/observability/logger";

// This process's own lines say which process wrote them; the loops' lines are the server's schema.
const log = (level: Exclude<Level, "debug">, msg: string, fields: LogFields = {}): void =>
  logger[level](msg, { process: "worker", pid: process.pid, ...fields });
// Whatever a library prints on the console becomes a log line too: stdout is JSON lines only.
routeConsoleToLog({ process: "worker", pid: process.pid });

/**
 * Lowers this process's priority. On Linux a nice value belongs to a thread: every thread that
 * exists now (V8's helpers) is lowered, and those made later (libuv's pool) inherit it.
 */
function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  let tids: number[] = [];
  try {
    tids = readdirSync("/proc/self/task").map(Number).filter(Number.isInteger);
  } catch {
    tids = [];
  }
  try {
    if (tids.length === 0) setPriority(0, nice);
    for (const tid of tids) setPriority(tid, nice);
  } catch (error) {
    log("warn", "could not lower the worker's CPU priority; it runs at the server's", { error: String(error) });
  }
}

/**
 * GET /api/metrics (Prometheus text) for the bearer of `token`. Only what this process knows:
 * BioCore calls, attempts and cache (counted where the calls are made), the breaker, this
 * process's pool; the queue and chain gauges stay with the server (one source each).
 */
async function serveMetrics(port: number, token: string): Promise<Server> {
  const { metrics } = await import("../lib/observability/metrics");
  // This process's own breaker and database pool (the queue's gauges are the web server's).
  const { registerCircuitGauge } = await import("../lib/biocore/gauges");
  const { registerCollectors } = await import("../lib/observability/collectors");
  registerCircuitGauge();
  registerCollectors();
  const expected = Buffer.from(token);
  const server = createServer((req, res) => {
    const header = req.headers.authorization ?? "";
    const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
    if (req.method !== "GET" || new URL(req.url ?? "/", "http://worker").pathname !== "/api/metrics")
      return void res.writeHead(404).end();
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return void res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="metrics"' }).end();
    const registry = metrics().registry;
    void registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "0.0.0.0", () => resolve()));
  return server;
}

async function main(): Promise<void> {
  // Invalid settings stop the start with their name.
  const e = env();
  // Before anything opens the database: the worker's own, small pool (lib/db.ts, lib/db/pg-pool.ts).
  process.env.DATABASE_POOL_MAX = String(e.WORKER_POOL_MAX);
  process.env.DATABASE_COPY_POOL_MAX = "1";
  process.env.WORKER_MODE = "process";
  // The table owner's URL is for migrations only.
  delete process.env.DATABASE_MIGRATION_URL;
  lowerPriority(e.WORKER_NICE);

  const { registerOTel } = await import("@vercel/otel");
  const { PrismaInstrumentation } = await import("@prisma/instrumentation");
  const { QueryRedactingSpanProcessor } = await import("../lib/observability/span-redaction");
  const { IdlePollSampler } = await import("../lib/observability/sampler");
  registerOTel({
    traceSampler: new IdlePollSampler(),
    serviceName: e.OTEL_SERVICE_NAME,
    attributes: { "pib.process": "worker" },
    instrumentations: ["fetch", new PrismaInstrumentation()],
    spanProcessors: [new QueryRedactingSpanProcessor(), "auto"],
  });

  // Before anything makes the BioCore client: without BIOCORE_URL it calls the engine served here.
  let reference: ReferenceServer | null = null;
  if (e.BIOCORE_WORKER && !e.BIOCORE_URL) {
    const { startReferenceServer } = await import("../lib/biocore/reference-server");
    const { setReferenceBaseUrl } = await import("../lib/biocore/instance");
    // Its access lines, like this process's own, say which process wrote them.
    reference = await startReferenceServer({ logFields: { process: "worker", pid: process.pid } });
    setReferenceBaseUrl(reference.baseUrl);
  }

  const { startAuditSealer, stopAuditSealer } = await import("../lib/audit/sealer");
  const { startRecommendationWorker, stopRecommendationWorker } = await import("../lib/biocore/worker");
  const { startVerificationWorker, stopVerificationWorker } = await import("../lib/verification/worker");
  const { startRetentionWorker, stopRetentionWorker } = await import("../lib/observations/retention");
  const { db } = await import("../lib/db");
  const { flushSpans } = await import("../lib/observability/flush-spans");
  startAuditSealer();
  startRecommendationWorker({ listen: true });
  startVerificationWorker();
  startRetentionWorker();
  const metricsServer =
    e.WORKER_METRICS_PORT && e.METRICS_TOKEN ? await serveMetrics(e.WORKER_METRICS_PORT, e.METRICS_TOKEN) : null;
  log("info", "worker started", {
    nice: e.WORKER_NICE,
    pool_max: e.WORKER_POOL_MAX,
    batch: e.BIOCORE_WORKER_BATCH,
    recommendations: e.BIOCORE_WORKER,
    verification: e.VERIFY_WORKER,
    metrics_port: metricsServer ? e.WORKER_METRICS_PORT : null,
    reference_engine: reference?.baseUrl ?? null,
  });
  process.send?.({ type: "worker-ready" });
  // Nothing else keeps the process alive: the loops' timers are unref'd (for the server's sake).
  const alive = setInterval(() => undefined, 60_000);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    stopAuditSealer();
    stopVerificationWorker();
    stopRetentionWorker();
    metricsServer?.close();
    setTimeout(() => process.exit(0), env().SHUTDOWN_GRACE_MS).unref();
    // The engine's server last among the loops: the jobs still in hand are calling it.
    void stopRecommendationWorker()
      .then(() => reference?.close())
      .then(() => db().$disconnect())
      .catch(() => undefined)
      .then(() => flushSpans())
      .finally(() => {
        clearInterval(alive);
        process.exit(0);
      });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // The parent (scripts/start.ts) died without telling us: do not linger as an orphan.
  process.on("disconnect", shutdown);
}

main().catch((error: unknown) => {
  log("error", "worker failed to start", { error: String(error) });
  process.exit(1);
});
