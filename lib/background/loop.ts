// One shape for the background loops (the audit sealer, the verification pass, the retention pass):
// a pass every `everyMs` (and optionally a first one sooner), never two at once in a process,
// outside whatever trace was active when it was scheduled, its failure reported and the next pass
// tried on time. Replicas take turns through each pass's own advisory lock, not here.
import { context, ROOT_CONTEXT } from "@opentelemetry/api";

export type BackgroundLoop = {
  /** Runs a pass now, unless one is under way (then, with `again`, once more right after it). */
  trigger(): void;
  /** No further pass starts (one under way finishes, or ends with the process). */
  stop(): void;
};

export type LoopOptions = {
  everyMs: number;
  /** A first pass this soon after the start (default: the first interval). */
  firstAfterMs?: number;
  /** A trigger during a pass asks for one more right after it, instead of being dropped. */
  again?: boolean;
  /** Stops on SIGTERM and SIGINT (the loops a server process starts on its own). */
  stopOnSignals?: boolean;
  pass: () => Promise<unknown>;
  onError: (error: unknown) => void;
};

export function startLoop(options: LoopOptions): BackgroundLoop {
  let running = false;
  let again = false;
  let stopped = false;
  const trigger = (): void => {
    if (stopped) return;
    if (running) {
      if (options.again) again = true;
      return;
    }
    running = true;
    context
      .with(ROOT_CONTEXT, options.pass)
      .catch(options.onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          trigger();
        }
      });
  };
  const timer = setInterval(trigger, options.everyMs);
  timer.unref();
  const first = options.firstAfterMs === undefined ? null : setTimeout(trigger, options.firstAfterMs);
  first?.unref();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
    if (first) clearTimeout(first);
  };
  if (options.stopOnSignals) {
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  }
  return { trigger, stop };
}
