// The HTTP server process started by scripts/start.ts: Next.js production handler behind a plain
// Node server so that the client address comes from the socket and shutdown drains requests.
// Its stdout is JSON log lines only (Next.js's console output included), and it writes the one
// access line and latency sample of every request it answers, in a server span of its own.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { join } from "node:path";
import next from "next";
import { routeConsoleToLog } from "@/lib/observability/console-to-log";
import { flushSpans } from "@/lib/observability/flush-spans";
import { logLine } from "@/lib/observability/logger";
import { answerObserved, headersOf, pathnameOf } from "@/lib/http/server-request";
import { answerDirect, directRoute } from "./direct-routes";
import { env, setting } from "../lib/env";
import { AppError } from "@/lib/http/app-error";
import { refusedMethod } from "@/lib/http/method-gate";
import { problemBody } from "@/lib/http/problem";
import { requestIdOf } from "@/lib/http/request-context";
import { API_CSP, securityHeaders } from "@/lib/http/security-headers";

// Before Next.js loads: its start-up, warning and error lines (and any library's) become log lines.
routeConsoleToLog();

const CLIENT_IP_HEADER = "x-pib-client-ip";
// The table owner's URL is for migrations (scripts/migrate.ts), never for the server: with it, a
// compromised server could rewrite the audit trail its runtime role may only append to.
delete process.env.DATABASE_MIGRATION_URL;
const production = process.env.NODE_ENV === "production";

/** The headers every answer carries, and what a problem answer adds. */
function problemHeaders(requestId: string): Record<string, string> {
  return {
    ...Object.fromEntries(securityHeaders(production).map((h) => [h.key, h.value])),
    "Content-Security-Policy": API_CSP,
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
    "X-Request-Id": requestId,
  };
}

/**
 * A method the target does not answer: 405 problem+json naming what it allows, with the headers
 * every answer carries. Next.js would answer TRACE with a bare 500 and an unexported method with an
 * empty 405 without `Allow`; answering here also keeps TRACE from ever reaching the app.
 */
function methodNotAllowed(method: string, pathname: string, allow: string[], requestHeaders: Headers) {
  const requestId = requestIdOf(requestHeaders);
  const error = new AppError(
    "method_not_allowed",
    `${pathname} does not answer ${method}; it answers ${allow.join(", ")}`,
  );
  const headers = { ...problemHeaders(requestId), Allow: allow.join(", ") };
  return { headers, body: JSON.stringify(problemBody(error, requestId, pathname)) };
}

/** True when the request was answered here (a refused method). */
function refuse(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "";
  const pathname = pathnameOf(req.url);
  const refused = refusedMethod(method, pathname);
  if (!refused) return false;
  const { headers, body } = methodNotAllowed(method, pathname, refused.allow, headersOf(req));
  res.writeHead(405, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
  return true;
}

/** An answer written straight to the socket (no request object exists), then the connection closes. */
function endRaw(socket: Duplex, status: string, headers: Record<string, string>, body: string): void {
  const lines = Object.entries({
    ...headers,
    "Content-Length": String(Buffer.byteLength(body)),
    Connection: "close",
  }).map(([k, v]) => `${k}: ${v}`);
  socket.end(`HTTP/1.1 ${status}\r\n${lines.join("\r\n")}\r\n\r\n${body}`);
}

/** CONNECT never reaches the request handler (Node.js emits `connect`): same answer, then close. */
function refuseConnect(req: IncomingMessage, socket: Duplex): void {
  const { headers, body } = methodNotAllowed("CONNECT", pathnameOf(req.url), ["GET", "HEAD", "POST"], headersOf(req));
  endRaw(socket, "405 Method Not Allowed", headers, body);
}

/**
 * Node.js's parser refuses a method it does not know (TRACK, anything invented) before there is a
 * request, so neither the path nor `Allow` can be known: 400 problem+json with the security
 * headers. Other parse errors keep Node.js's own bare answers (431, 408, 400).
 */
function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  // As Node.js's default: nothing more to say once an answer on this connection has begun.
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (error.code === "ECONNRESET" || !socket.writable || answering) return void socket.destroy();
  if (error.code === "HPE_INVALID_METHOD") {
    const requestId = requestIdOf(new Headers());
    const body = JSON.stringify(
      problemBody(new AppError("bad_request", "The request method is not one this server knows"), requestId),
    );
    return endRaw(socket, "400 Bad Request", problemHeaders(requestId), body);
  }
  const status =
    error.code === "HPE_HEADER_OVERFLOW"
      ? "431 Request Header Fields Too Large"
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "408 Request Timeout"
        : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}

async function main(): Promise<void> {
  // A bad setting (e.g. TRUST_PROXY=yes) stops the start with its name, not the first request.
  const { PORT: port, HOST: hostname } = env();
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const distDir = join(process.cwd(), ".next");
  let draining = false;
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    if (draining) {
      res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "5", Connection: "close" });
      res.end(
        JSON.stringify({
          type: "about:blank",
          title: "Service unavailable",
          status: 503,
          detail: "The server is shutting down",
        }),
      );
      return;
    }
    if (refuse(req, res)) return;
    const direct = directRoute(req);
    if (direct) void answerDirect(direct, distDir, req, res);
    else void handle(req, res);
  };
  const server = createServer((req, res) => {
    // Overwrite whatever the client sent: this header is the socket's address and nothing else.
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
    answerObserved(req, res, answer);
  });
  server.on("connect", refuseConnect);
  server.on("clientError", onClientError);
  // Longer than clients' and proxies' idle timeouts, so an idle connection is never closed by us
  // just as a client reuses it (the client would see "other side closed").
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, hostname, () => process.send?.({ type: "listening", port }));

  const shutdown = (): void => {
    if (draining) return;
    draining = true;
    // Background work registered by the app (the recommendation worker hands back its claimed jobs)
    // stops alongside the drain; the process exits only when both are done (or the grace ends).
    const hooks = (globalThis as { pibOnShutdown?: (() => Promise<void>)[] }).pibOnShutdown ?? [];
    const background = Promise.allSettled(hooks.map((stop) => stop()));
    // Stop accepting; in-flight requests finish; idle keep-alive sockets are closed.
    // Last, the spans of the drained requests and the stopped loops are exported (they would be lost).
    server.close(
      () => void background.then(() => app.close()).finally(() => void flushSpans().finally(() => process.exit(0))),
    );
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), setting("SHUTDOWN_GRACE_MS")).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // The parent died without telling us: do not linger as an orphan.
  process.on("disconnect", shutdown);
}

main().catch((error: unknown) => {
  // On stderr (also a JSON line), where whatever started the server looks for why it stopped.
  process.stderr.write(logLine("error", "server failed to start", { error: String(error) }));
  process.exit(1);
});
