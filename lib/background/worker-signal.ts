// A nudge from ingestion to the recommendation worker: look at the queue now rather than at the
// next poll. Only a hint; the poll finds every job anyway (and other replicas' jobs).
//
// With the worker in this process (WORKER_MODE=inline) the nudge is a function call. With the
// worker in its own process (WORKER_MODE=process, scripts/worker.ts) it is a PostgreSQL NOTIFY
// (lib/background/wake-channel.ts), which the worker process LISTENs for.
import "server-only";
import { setting } from "@/lib/env";
import { notifyWorkerProcess } from "./wake-channel";

export { CHANNEL, listenForWakes } from "./wake-channel";

const state = globalThis as unknown as { pibWorkerWake?: () => void };

export function onWorkerWake(listener: () => void): void {
  state.pibWorkerWake = listener;
}

export function wakeRecommendationWorker(): void {
  if (state.pibWorkerWake) return state.pibWorkerWake();
  if (setting("WORKER_MODE") === "process" && setting("DATABASE_URL")) notifyWorkerProcess();
}
