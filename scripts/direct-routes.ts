// The ingest routes answered by this server without Next.js's request pipeline (routing, the
// proxy, its own spans, web-stream plumbing, compression), which cost more CPU per request than
// the four validation layers and the storage together (BENCHMARKS.md, "Ingest"). The very same
// route handlers answer: each is loaded from the production build (the compiled `route.ts`, its
// `withApi` wrapper included: request id, rate limits, principal, role, problem+json, the MASS
// counters), so the code, its checks and its tests are those of every other route. What Next.js
// and proxy.ts add to an API answer is added here the same way: the security headers, the API CSP,
// CORS for allowed origins and X-Request-Id. The server span continuing the caller's trace, the
// access line and the latency sample are scripts/serve.ts's, as for every request.
// DIRECT_INGEST_ROUTES=false sends them through Next.js like every other route (to measure both).
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import type { NextRequest } from "next/server";
import { env } from "../lib/env";
import { AppError } from "@/lib/http/app-error";
import { corsHeaders } from "@/lib/http/cors";
import { problemBody } from "@/lib/http/problem";
import { requestIdOf } from "@/lib/http/request-context";
import { API_CSP, securityHeaders } from "@/lib/http/security-headers";

/** Method and path → the route's directory in the build (`app/…/route.js`). */
const DIRECT: Record<string, string> = {
  "POST /api/v1/mass/generate": "app/api/v1/mass/generate/route.js",
  "POST /api/v1/mass": "app/api/v1/mass/route.js",
  "POST /api/v1/mass/validate": "app/api/v1/mass/validate/route.js",
  "POST /api/v1/mass/batch": "app/api/v1/mass/batch/route.js",
};

type Handler = (request: NextRequest, route: { params: Promise<Record<string, never>> }) => Promise<Response>;
type RouteModule = {
  routeModule: { ensureUserland: () => Promise<void>; userland: Record<string, Handler | undefined> };
};

const handlers = new Map<string, Promise<Handler>>();
// Imported once Next.js is prepared: next/server needs the AsyncLocalStorage it installs on start.
let nextRequest: Promise<typeof NextRequest> | undefined;

async function load(distDir: string, key: string): Promise<Handler> {
  const mod = (await import(join(distDir, "server", DIRECT[key]!))) as RouteModule | { default: RouteModule };
  const route = "routeModule" in mod ? mod.routeModule : mod.default.routeModule;
  await route.ensureUserland();
  const handler = route.userland[key.split(" ")[0]!];
  if (!handler) throw new Error(`direct route ${key}: the build has no handler`);
  return handler;
}

function pathOf(url: string | undefined): string {
  const q = (url ?? "/").indexOf("?");
  return q === -1 ? (url ?? "/") : url!.slice(0, q);
}

/** The route key when this request is answered directly, else null. */
export function directRoute(req: IncomingMessage): string | null {
  if (!env().DIRECT_INGEST_ROUTES) return null;
  const key = `${req.method} ${pathOf(req.url)}`;
  return key in DIRECT ? key : null;
}

/** The body, read up to `cap` bytes (a longer one is cut there: the handler's own limit then answers 413). */
function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > cap) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

const production = process.env.NODE_ENV === "production";
// Header names in lower case throughout, so that the handler's own headers replace these rather than doubling them.
const EVERY_ANSWER: Record<string, string> = Object.fromEntries([
  ...securityHeaders(production).map((h) => [h.key.toLowerCase(), h.value]),
  ["content-security-policy", API_CSP],
]);
const lower = (headers: Record<string, string> | null) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

/** Answers `req` with its route's handler from the build in `distDir`. */
export async function answerDirect(
  key: string,
  distDir: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let handler = handlers.get(key);
  if (!handler) {
    handler = load(distDir, key);
    handlers.set(key, handler);
    handler.catch(() => handlers.delete(key));
  }
  const headers = headersOf(req);
  const requestId = requestIdOf(headers);
  headers.set("x-request-id", requestId);
  const route = pathOf(req.url);
  try {
    const e = env();
    const body = await readBody(req, Math.max(e.MAX_BODY_BYTES, e.MASS_BATCH_MAX_BYTES) + 1);
    nextRequest ??= import("next/server").then((m) => m.NextRequest);
    const request = new (await nextRequest)(`http://${req.headers.host ?? "localhost"}${req.url}`, {
      method: req.method,
      headers,
      body: body.length ? (body as unknown as BodyInit) : undefined,
    });
    const response = await (await handler)(request, { params: Promise.resolve({}) });
    const out: Record<string, string | string[]> = {
      ...EVERY_ANSWER,
      ...lower(corsHeaders(headers.get("origin"), e.CORS_ORIGINS)),
    };
    response.headers.forEach((value, name) => (out[name] = value));
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    out["x-request-id"] = requestId;
    const payload = Buffer.from(await response.arrayBuffer());
    out["content-length"] = String(payload.length);
    res.writeHead(response.status, out);
    res.end(payload);
  } catch (error) {
    // On the request's span (scripts/serve.ts), which also records the 500.
    trace.getActiveSpan()?.recordException(error as Error);
    if (!res.headersSent) {
      const body = JSON.stringify(
        problemBody(new AppError("internal", "The request could not be answered"), requestId, route),
      );
      res.writeHead(500, {
        ...EVERY_ANSWER,
        "content-type": "application/problem+json",
        "cache-control": "no-store",
        "x-request-id": requestId,
        "content-length": String(Buffer.byteLength(body)),
      });
      res.end(body);
    } else res.destroy();
  }
}
