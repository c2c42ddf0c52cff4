// The W3C traceparent sent with a call: the caller's own (the worker runs outside any request), or
// the active span's. An invalid value is dropped rather than forwarded into a header.
import { context, isSpanContextValid, propagation, trace } from "@opentelemetry/api";

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export function isValidTraceparent(value: string): boolean {
  const match = TRACEPARENT.exec(value);
  return !!match && value.slice(0, 2) !== "ff" && !/^0+$/.test(match[1] ?? "") && !/^0+$/.test(match[2] ?? "");
}

/** Trace headers for an outbound call: `traceparent` and, through the global propagator, `tracestate`. */
export function traceHeaders(explicit?: string): Record<string, string> {
  if (explicit !== undefined) {
    const value = explicit.trim().toLowerCase();
    return isValidTraceparent(value) ? { traceparent: value } : {};
  }
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  // Only the trace context: baggage may carry app data that BioCore has no business seeing.
  if (carrier.traceparent && isValidTraceparent(carrier.traceparent)) {
    return { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) };
  }
  // No global propagator registered (tests, scripts): build it from the active span.
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !isSpanContextValid(span)) return {};
  const flags = (span.traceFlags & 0xff).toString(16).padStart(2, "0");
  return { traceparent: `00-${span.traceId}-${span.spanId}-${flags}` };
}
