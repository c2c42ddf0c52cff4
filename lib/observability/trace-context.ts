import { trace } from "@opentelemetry/api";

/** The active span's ids, or nulls outside a trace. */
export function currentTraceIds(): { traceId: string | null; spanId: string | null } {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !ctx.traceId || /^0+$/.test(ctx.traceId)) return { traceId: null, spanId: null };
  return { traceId: ctx.traceId, spanId: ctx.spanId };
}
