// Spans still waiting in the batch processor when a process stops would be lost: a graceful stop
// exports them first (bounded, so a collector that does not answer cannot hold the exit).
import { trace } from "@opentelemetry/api";

type Flushable = { forceFlush?: () => Promise<void> };

/** Exports the spans not yet sent, waiting at most `timeoutMs`; never throws. */
export async function flushSpans(timeoutMs = 5_000): Promise<void> {
  const global = trace.getTracerProvider() as Flushable & { getDelegate?: () => Flushable };
  const provider = global.getDelegate?.() ?? global;
  if (typeof provider.forceFlush !== "function") return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.forceFlush().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}
