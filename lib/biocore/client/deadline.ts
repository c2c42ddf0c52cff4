// The whole-call time budget as an AbortSignal that also follows the caller's signal, so queueing,
// attempts, backoff and Retry-After waits all end together.
export interface Deadline {
  signal: AbortSignal;
  remainingMs(): number;
  dispose(): void;
}

export function startDeadline(budgetMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const startedMs = performance.now();
  const timer = setTimeout(() => controller.abort(new Error(`call budget of ${budgetMs} ms spent`)), budgetMs);
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    remainingMs: () => budgetMs - (performance.now() - startedMs),
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Settles with `promise`, or rejects as soon as `signal` aborts, whatever `promise` does. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
