// Spans around the pilot's own units of work (CSV loads, M&V runs, PDF rendering, BioCore calls,
// MASS ingestion). Errors are recorded on the span and rethrown.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
} from "@opentelemetry/api";

const tracer = () => trace.getTracer("pilot-in-a-box");

export async function traced<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
  options: { parent?: Context; links?: Link[] } = {},
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { attributes, links: options.links },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await fn();
      } catch (error) {
        span.recordException(error instanceof Error ? error : new Error(String(error)));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The context a W3C traceparent names (a remote parent), or null when there is none or it is invalid. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context | null {
  if (!traceparent) return null;
  const ctx = propagation.extract(ROOT_CONTEXT, { traceparent });
  return trace.getSpanContext(ctx) ? ctx : null;
}

/** A link to the active span (e.g. the HTTP request that a re-parented span belongs to). */
export function linkToActive(): Link[] {
  const sc = trace.getActiveSpan()?.spanContext();
  return sc ? [{ context: sc }] : [];
}
