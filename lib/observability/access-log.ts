// The access line and the latency sample of a request: one each for every request the server
// answers (API routes, next-auth, probes, metrics, pages, Next.js's files, unknown paths, the
// answers scripts/serve.ts gives itself), written by the server once the answer is finished. The
// app notes what only it knows (who asked) while the request runs; scripts/serve.ts reads the
// note when it writes the line.
import { AsyncLocalStorage } from "node:async_hooks";
import { METHODS } from "node:http";
import { logger, type LogFields } from "./logger";
import { metrics } from "./metrics";

/** What the app knows of a request that the server does not, noted while it runs. */
export type AccessNote = { userId: string | null };

const g = globalThis as { pibAccessNotes?: AsyncLocalStorage<AccessNote> };

/**
 * The note of the request being answered. On globalThis: the server script and the app's bundles
 * each load their own copy of this module, and must share one store.
 */
export function accessNotes(): AsyncLocalStorage<AccessNote> {
  g.pibAccessNotes ??= new AsyncLocalStorage<AccessNote>();
  return g.pibAccessNotes;
}

/** Adds to the note of the request being answered (nothing outside one). */
export function noteAccess(note: Partial<AccessNote>): void {
  const current = accessNotes().getStore();
  if (current) Object.assign(current, note);
}

export type Access = {
  method: string;
  /** The route template the path matched (lib/http/method-gate.ts routeTemplate), never the path the client sent. */
  route: string;
  /** Logged at debug level (Next.js's content-hashed files: a page view fetches a dozen). */
  quiet?: boolean;
  /** The status sent; 499 when the client went away before an answer began. */
  status: number;
  seconds: number;
  requestId: string;
  userId: string | null;
  /** The connection closed before the whole answer was sent. */
  aborted?: boolean;
  /** More fields for the line: which process answered, when it is not the web server. */
  fields?: LogFields;
};

/** The metric's method label: Node.js's parser admits only the methods it knows, this makes sure. */
function methodLabel(method: string): string {
  return METHODS.includes(method) ? method : "OTHER";
}

/**
 * The request's latency sample (`pib_http_server_request_duration_seconds`) and its access line
 * (`msg: "request"`), both labelled by route template, never by the path the client sent. Next.js's
 * content-hashed files log at debug level: a page view fetches a dozen, each served from disk.
 */
export function recordAccess(a: Access): void {
  const route = a.route;
  const method = methodLabel(a.method);
  metrics().httpDuration.observe({ route, method, status: String(a.status) }, a.seconds);
  const fields = {
    request_id: a.requestId,
    user_id: a.userId,
    method,
    route,
    endpoint: `${method} ${route}`,
    status_code: a.status,
    latency_ms: Math.round(a.seconds * 10_000) / 10,
    ...(a.aborted ? { aborted: true } : {}),
    ...a.fields,
  };
  if (a.quiet) logger.debug("request", fields);
  else logger.info("request", fields);
}
