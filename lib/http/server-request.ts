// What every request answered by one of this project's Node.js HTTP servers gets around its answer:
// a settled X-Request-Id, a server span continuing the caller's trace, the app's access note, and
// once the answer is finished (or the client went away) the access line and the latency sample
// (lib/observability/access-log.ts). Used by scripts/serve.ts for every request, and by the worker
// process's loopback reference engine (lib/biocore/reference-server.ts) for its own.
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { accessNotes, recordAccess, type AccessNote } from "@/lib/observability/access-log";
import type { LogFields } from "@/lib/observability/logger";
import { routeTemplate, STATIC_ASSET_ROUTE } from "./method-gate";
import { requestIdOf } from "./request-context";

export function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}

/** The request's headers that have one value (repeated ones are left out). */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return headers;
}

/** Answers `req` with `answer`, observed as described above; `fields` are added to the access line. */
export function answerObserved(
  req: IncomingMessage,
  res: ServerResponse,
  answer: (req: IncomingMessage, res: ServerResponse) => void,
  fields?: LogFields,
): void {
  const started = performance.now();
  // One request id from here on, the one the access line names: the app (proxy.ts, the API
  // wrapper, the direct routes) keeps a valid id it is given.
  const requestId = requestIdOf(headersOf(req));
  req.headers["x-request-id"] = requestId;
  const method = req.method ?? "";
  const pathname = pathnameOf(req.url);
  // The span every request gets, continuing the caller's trace; Next.js's own spans sit under it.
  const route = routeTemplate(pathname);
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  // The tracer of each request: the app registers the tracer provider (instrumentation.ts) only
  // once Next.js is running, and a tracer taken before that would never record.
  const span = trace.getTracer("pilot-in-a-box").startSpan(
    `${method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": method, "http.route": route, "url.path": pathname },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  const note: AccessNote = { userId: null };
  // Once per request: after the answer is sent, or when the client went away before that.
  res.once("close", () => {
    const finished = res.writableFinished;
    const status = finished || res.headersSent ? res.statusCode : 499;
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    context.with(active, () =>
      recordAccess({
        method,
        route,
        quiet: route === STATIC_ASSET_ROUTE,
        status,
        seconds: (performance.now() - started) / 1000,
        requestId,
        userId: note.userId,
        aborted: !finished,
        fields,
      }),
    );
    span.end();
  });
  context.with(active, () => accessNotes().run(note, () => answer(req, res)));
}
