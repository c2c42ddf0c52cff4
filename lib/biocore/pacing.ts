// How the recommendation worker shares the machine with ingestion. While requests are coming in
// (the worker was woken by one within INGEST_BUSY_MS), it keeps its busy time to at most
// BIOCORE_WORKER_BUSY_SHARE of the wall clock: after a batch that took `busyMs` it waits
// busyMs × (1/share − 1) before claiming the next. Once ingestion is quiet it drains at full speed.
// Under a sustained ingest the queue then grows faster than it would otherwise (it grew anyway: a
// job costs more CPU than the ingest that queued it), and is drained when the load stops.

/** The worker counts ingestion as busy for this long after its last wake-up. */
export const INGEST_BUSY_MS = 1_000;
/** The longest pause between two batches (a slow BioCore answer must not park the worker). */
export const MAX_PAUSE_MS = 2_000;

/** The pause before the next batch: 0 when ingestion is quiet or the share is the whole clock. */
export function pauseBeforeNextBatch(busyMs: number, share: number, sinceWakeMs: number): number {
  if (!(share > 0) || share >= 1 || !(busyMs > 0) || !(sinceWakeMs < INGEST_BUSY_MS)) return 0;
  return Math.min(MAX_PAUSE_MS, Math.round(busyMs * (1 / share - 1)));
}
