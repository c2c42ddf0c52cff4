// The HTTP server process started by scripts/start.ts: Next.js production handler behind a plain
// Node server so that the client address comes from the socket and shutdown drains requests.
import { createServer } from "node:http";
import next from "next";

const CLIENT_IP_HEADER = "x-pib-client-ip";
// The table owner's URL is for migrations (scripts/migrate.ts), never for the server: with it, a
// compromised server could rewrite the audit trail its runtime role may only append to.
delete process.env.DATABASE_MIGRATION_URL;
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";

async function main(): Promise<void> {
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  let draining = false;
  const server = createServer((req, res) => {
    if (draining) {
      res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "5", Connection: "close" });
      res.end(JSON.stringify({ type: "about:blank", title: "Service unavailable", status: 503, detail: "The server is shutting down" }));
      return;
    }
    // Overwrite whatever the client sent: this header is the socket's address and nothing else.
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
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
    server.close(() => void background.then(() => app.close()).finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), Number(process.env.SHUTDOWN_GRACE_MS ?? 25_000)).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // The parent died without telling us: do not linger as an orphan.
  process.on("disconnect", shutdown);
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: "error", msg: "server failed to start", error: String(error) }));
  process.exit(1);
});
