// "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
// sleep = random_between(0, min(cap, base · 2^attempt)).
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/** Delay before retry number `retry` (1-based), using `random` in [0, 1). */
export function fullJitterDelayMs(retry: number, settings: BackoffSettings, random: () => number): number {
  const ceiling = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
