// The recommendation worker: claims jobs from PostgreSQL in batches (SKIP LOCKED, so replicas and
// worker processes share the queue), processes a batch at a time, retries failures with exponential
// backoff, and on stop hands back what it claimed. Ingestion only inserts a job row and nudges it:
// a function call when the worker runs inside the server process (WORKER_MODE=inline), a
// PostgreSQL NOTIFY when it runs in its own (WORKER_MODE=process, scripts/worker.ts).
// Its work never belongs to the request that happened to wake it: every run starts from the root
// trace context (a job's BioCore call continues the trace stored with its MASS request instead).
import "server-only";
import { randomUUID } from "node:crypto";
import { context, ROOT_CONTEXT } from "@opentelemetry/api";
import { hostname } from "node:os";
import { env, setting } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { claimJobs, completeJob, releaseJobs, retryJob } from "./repo/jobs";
import { pauseBeforeNextBatch } from "./pacing";
import { processJob } from "./process-job";
import { listenForWakes, onWorkerWake } from "@/lib/background/worker-signal";

const MAX_BACKOFF_MS = 10 * 60_000;
// In a worker process, a NOTIFY waits this long before the queue is read, so that a burst of
// requests is claimed in one batch rather than one job per wake-up.
const WAKE_GATHER_MS = 25;

type WorkerState = {
  id: string;
  timer: NodeJS.Timeout | null;
  wakeTimer: NodeJS.Timeout | null;
  unlisten: (() => Promise<void>) | null;
  running: boolean;
  again: boolean;
  stopping: Promise<void> | null;
  active: Promise<void> | null;
  /** When ingestion last woke the worker (ms since the epoch): it is busy while this is recent (pacing.ts). */
  wokenAt: number;
};
// pibOnShutdown: what scripts/serve.ts awaits after SIGTERM before the process exits.
const g = globalThis as unknown as { pibWorker?: WorkerState; pibOnShutdown?: (() => Promise<void>)[] };

export function workerId(): string | null {
  return g.pibWorker?.id ?? null;
}

async function tick(w: WorkerState): Promise<void> {
  const e = env();
  const batch = Math.min(e.BIOCORE_WORKER_BATCH, e.BIOCORE_MAX_CONCURRENT);
  for (;;) {
    if (w.stopping) return;
    const jobs = await claimJobs(w.id, batch);
    if (jobs.length === 0) return;
    const started = Date.now();
    await Promise.all(
      jobs.map(async (job) => {
        try {
          // An answered job is done in the transaction that stores its answer; completeJob is then a no-op.
          const result = await processJob(job, w.id);
          if (result.done) await completeJob(job.id, w.id);
          else {
            // An outage never fails a job (it waits, backing off to MAX_BACKOFF_MS); a rejection by
            // the open breaker is not an attempt and comes back when the breaker may let calls through.
            const backoff = Math.min(MAX_BACKOFF_MS, e.BIOCORE_JOB_RETRY_BASE_MS * 2 ** Math.max(0, job.attempts - 1));
            const delay = result.notCalled ? Math.max(backoff, e.BIOCORE_BREAKER_COOLDOWN_MS) : backoff;
            const status = await retryJob(
              job.id,
              w.id,
              job.attempts,
              result.outage ? Infinity : e.BIOCORE_JOB_MAX_ATTEMPTS,
              delay,
              result.error,
              result.notCalled,
            );
            logger.warn("recommendation job not done", {
              // The MASS request's trace (the worker runs outside any request's): its log lines and spans meet.
              trace_id: job.trace_id,
              job_id: job.id,
              mass_request_id: job.mass_request_id,
              attempts: job.attempts,
              next: status,
              error: result.error,
            });
          }
        } catch (error) {
          const delay = Math.min(MAX_BACKOFF_MS, e.BIOCORE_JOB_RETRY_BASE_MS * 2 ** Math.max(0, job.attempts - 1));
          await retryJob(
            job.id,
            w.id,
            job.attempts,
            e.BIOCORE_JOB_MAX_ATTEMPTS,
            delay,
            error instanceof Error ? error.message : String(error),
          ).catch(() => {});
          logger.error("recommendation job failed", {
            trace_id: job.trace_id,
            job_id: job.id,
            mass_request_id: job.mass_request_id,
            error,
          });
        }
      }),
    );
    // While requests are coming in, the worker takes at most its share of the clock (pacing.ts).
    const pause = pauseBeforeNextBatch(Date.now() - started, e.BIOCORE_WORKER_BUSY_SHARE, Date.now() - w.wokenAt);
    if (pause > 0 && !w.stopping) await new Promise((resolve) => setTimeout(resolve, pause).unref());
  }
}

function run(w: WorkerState): void {
  if (w.stopping) return;
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  w.active = context
    .with(ROOT_CONTEXT, () => tick(w))
    .catch((error: unknown) => logger.warn("recommendation worker could not read the queue; will retry", { error }))
    .finally(() => {
      w.running = false;
      w.active = null;
      if (w.again) {
        w.again = false;
        run(w);
      }
    });
}

/**
 * `listen`: woken by PostgreSQL NOTIFY (the worker process) rather than by a call from this
 * process's ingestion (the worker inside the server).
 */
export function startRecommendationWorker({ listen = false }: { listen?: boolean } = {}): void {
  if (g.pibWorker || !setting("DATABASE_URL") || !env().BIOCORE_WORKER) return;
  const w: WorkerState = {
    id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    timer: null,
    wakeTimer: null,
    unlisten: null,
    running: false,
    again: false,
    stopping: null,
    active: null,
    wokenAt: 0,
  };
  g.pibWorker = w;
  // The timers are created from the root context too, so their callbacks never carry a caller's.
  context.with(ROOT_CONTEXT, () => {
    w.timer = setInterval(() => run(w), env().BIOCORE_WORKER_POLL_MS);
    w.timer.unref();
  });
  if (listen) {
    const gather = () => {
      w.wokenAt = Date.now();
      if (w.wakeTimer || w.stopping) return;
      w.wakeTimer = setTimeout(() => {
        w.wakeTimer = null;
        run(w);
      }, WAKE_GATHER_MS);
    };
    w.unlisten = listenForWakes(gather, logger);
  } else {
    onWorkerWake(() => {
      w.wokenAt = Date.now();
      setImmediate(() => run(w));
    });
  }
  // Stop claiming at once on SIGTERM; the server process waits for the hand-back before it exits.
  const stop = () => void stopRecommendationWorker();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  (g.pibOnShutdown ??= []).push(() => stopRecommendationWorker());
}

/**
 * Stops claiming, lets the jobs in hand finish (bounded), and hands back any still claimed. Every
 * caller gets the same promise, so whoever waits for it waits for the hand-back itself.
 */
export function stopRecommendationWorker(graceMs = 10_000): Promise<void> {
  const w = g.pibWorker;
  if (!w) return Promise.resolve();
  w.stopping ??= (async () => {
    if (w.timer) clearInterval(w.timer);
    if (w.wakeTimer) clearTimeout(w.wakeTimer);
    await w.unlisten?.();
    if (w.active) await Promise.race([w.active, new Promise((r) => setTimeout(r, graceMs).unref())]);
    const released = await releaseJobs(w.id).catch((error: unknown) => {
      logger.warn(
        "recommendation worker could not hand back its jobs; they return to the queue when their lease ends",
        { error },
      );
      return 0;
    });
    if (released > 0) logger.info("recommendation worker handed back its jobs", { released });
  })();
  return w.stopping;
}
