// The recommendation worker inside each app process: claims jobs from PostgreSQL (SKIP LOCKED, so
// replicas share the queue), processes a few at a time, retries failures with exponential backoff,
// and on stop hands back what it claimed. Ingestion only inserts a job row and nudges it.
import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { claimJobs, completeJob, releaseJobs, retryJob } from "./jobs";
import { processJob } from "./process-job";
import { onWorkerWake } from "./worker-signal";

const BATCH = 4;
const MAX_BACKOFF_MS = 10 * 60_000;

type WorkerState = { id: string; timer: NodeJS.Timeout | null; running: boolean; again: boolean; stopping: Promise<void> | null; active: Promise<void> | null };
// pibOnShutdown: what scripts/serve.ts awaits after SIGTERM before the process exits.
const g = globalThis as unknown as { pibWorker?: WorkerState; pibOnShutdown?: (() => Promise<void>)[] };

export function workerId(): string | null {
  return g.pibWorker?.id ?? null;
}

async function tick(w: WorkerState): Promise<void> {
  const e = env();
  for (;;) {
    if (w.stopping) return;
    const jobs = await claimJobs(w.id, BATCH);
    if (jobs.length === 0) return;
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const result = await processJob(job);
          if (result.done) await completeJob(job.id, w.id);
          else {
            // An outage never fails a job (it waits, backing off to MAX_BACKOFF_MS); a rejection by
            // the open breaker is not an attempt and comes back when the breaker may let calls through.
            const backoff = Math.min(MAX_BACKOFF_MS, e.BIOCORE_JOB_RETRY_BASE_MS * 2 ** Math.max(0, job.attempts - 1));
            const delay = result.notCalled ? Math.max(backoff, e.BIOCORE_BREAKER_COOLDOWN_MS) : backoff;
            const status = await retryJob(job.id, w.id, job.attempts, result.outage ? Infinity : e.BIOCORE_JOB_MAX_ATTEMPTS, delay, result.error, result.notCalled);
            logger.warn("recommendation job not done", { job_id: job.id, mass_request_id: job.mass_request_id, attempts: job.attempts, next: status, error: result.error });
          }
        } catch (error) {
          const delay = Math.min(MAX_BACKOFF_MS, e.BIOCORE_JOB_RETRY_BASE_MS * 2 ** Math.max(0, job.attempts - 1));
          await retryJob(job.id, w.id, job.attempts, e.BIOCORE_JOB_MAX_ATTEMPTS, delay, error instanceof Error ? error.message : String(error)).catch(() => {});
          logger.error("recommendation job failed", { job_id: job.id, mass_request_id: job.mass_request_id, error });
        }
      }),
    );
  }
}

function run(w: WorkerState): void {
  if (w.stopping) return;
  if (w.running) {
    w.again = true;
    return;
  }
  w.running = true;
  w.active = tick(w)
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

export function startRecommendationWorker(): void {
  if (g.pibWorker || !process.env.DATABASE_URL || !env().BIOCORE_WORKER) return;
  const w: WorkerState = { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, timer: null, running: false, again: false, stopping: null, active: null };
  g.pibWorker = w;
  w.timer = setInterval(() => run(w), env().BIOCORE_WORKER_POLL_MS);
  w.timer.unref();
  onWorkerWake(() => setImmediate(() => run(w)));
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
    if (w.active) await Promise.race([w.active, new Promise((r) => setTimeout(r, graceMs).unref())]);
    const released = await releaseJobs(w.id).catch((error: unknown) => {
      logger.warn("recommendation worker could not hand back its jobs; they return to the queue when their lease ends", { error });
      return 0;
    });
    if (released > 0) logger.info("recommendation worker handed back its jobs", { released });
  })();
  return w.stopping;
}
