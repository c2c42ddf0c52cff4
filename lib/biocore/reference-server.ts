// The reference engine served by the worker process itself (WORKER_MODE=process, no BIOCORE_URL):
// a small HTTP server on an ephemeral port of 127.0.0.1, answering with the very handlers of the
// app's /api/biocore-reference routes (lib/biocore/reference-http.ts) under the same paths. The
// worker's BioCore client calls it over HTTP like any BioCore (timeouts, retries, breaker, cache),
// and the web server, which used to answer every job's calls, does no work for jobs at all.
// Each request gets what the web server gives each of its own: a server span continuing the
// caller's trace, an access line and a latency sample (lib/http/server-request.ts).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { LogFields } from "@/lib/observability/logger";
import { answerObserved } from "@/lib/http/server-request";
import { answerReferenceRequest, REFERENCE_BASE_PATH } from "./reference-http";

export type ReferenceServer = {
  /** Where a BioCore client finds the engine: http://127.0.0.1:<port>/api/biocore-reference */
  baseUrl: string;
  /** Stops accepting; resolves once the requests in flight are answered. */
  close: () => Promise<void>;
};

/** A Fetch API request of `req`, its body streamed (the handler applies its own size limit). */
function requestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", "http://127.0.0.1"), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const response = await answerReferenceRequest(requestOf(req));
    const payload = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    headers["content-length"] = String(payload.length);
    res.writeHead(response.status, headers);
    res.end(payload);
  } catch {
    // The client went away while its body was read, or the answer could not be written.
    if (!res.headersSent)
      res.writeHead(500, { "content-type": "application/problem+json", "cache-control": "no-store" }).end();
    else res.destroy();
  }
}

/** `logFields`: added to each access line (which process answered). */
export async function startReferenceServer({ logFields }: { logFields?: LogFields } = {}): Promise<ReferenceServer> {
  const server = createServer((req, res) => answerObserved(req, res, () => void answer(req, res), logFields));
  // As the web server: longer than the client's idle timeout, so an idle connection is never
  // closed by this side just as the client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${REFERENCE_BASE_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
