// A nudge from ingestion to this process's recommendation worker: look at the queue now rather
// than at the next poll. Only a hint; the poll finds every job anyway (and other replicas' jobs).
const state = globalThis as unknown as { pibWorkerWake?: () => void };

export function onWorkerWake(listener: () => void): void {
  state.pibWorkerWake = listener;
}

export function wakeRecommendationWorker(): void {
  state.pibWorkerWake?.();
}
