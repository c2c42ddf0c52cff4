// Query strings leave the process only without their values: Next.js and the fetch instrumentation
// put the whole request target on spans (`http.target`, `http.url`, `url.full`, `url.query`), and a
// client may send credentials there (`?access_token=…&password=…` was seen in exported traces).
// Logs carry the path alone; spans keep the parameter names, each value replaced.
import type { Context } from "@opentelemetry/api";

/** Attributes holding a URL or request target, and the one holding a bare query string. */
const TARGET_ATTRIBUTES = ["http.target", "http.url", "url.full", "next.rsc"] as const;
const QUERY_ATTRIBUTES = ["url.query"] as const;

/** `a=1&b=&c` → `a=[redacted]&b=&c`. */
export function redactQuery(query: string): string {
  return query
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq === -1 || eq === pair.length - 1 ? pair : `${pair.slice(0, eq)}=[redacted]`;
    })
    .join("&");
}

/** `/x?a=1&b=2#f` → `/x?a=[redacted]&b=[redacted]#f`; a target without a query is unchanged. */
export function redactQueryValues(target: string): string {
  const q = target.indexOf("?");
  if (q === -1) return target;
  const rest = target.slice(q + 1);
  const hash = rest.indexOf("#");
  return hash === -1
    ? `${target.slice(0, q + 1)}${redactQuery(rest)}`
    : `${target.slice(0, q + 1)}${redactQuery(rest.slice(0, hash))}${rest.slice(hash)}`;
}

function redactAttributes(attributes: Record<string, unknown>): void {
  for (const key of TARGET_ATTRIBUTES) {
    const v = attributes[key];
    if (typeof v === "string") attributes[key] = redactQueryValues(v);
  }
  for (const key of QUERY_ATTRIBUTES) {
    const v = attributes[key];
    if (typeof v === "string") attributes[key] = redactQuery(v);
  }
}

/** The part of a span this processor touches (the SDK's Span and ReadableSpan both have it). */
type WithAttributes = { attributes: Record<string, unknown> | object };

/**
 * Put before the exporting processor (`spanProcessors: [new QueryRedactingSpanProcessor(), "auto"]`):
 * at start it rewrites what the span was created with, at end what was set later, before the batch
 * exporter serialises the span.
 */
export class QueryRedactingSpanProcessor {
  onStart(span: WithAttributes, _parentContext: Context): void {
    redactAttributes(span.attributes as Record<string, unknown>);
  }

  onEnd(span: WithAttributes): void {
    redactAttributes(span.attributes as Record<string, unknown>);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
