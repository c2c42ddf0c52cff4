// A second server process, pointed at a local OTLP receiver: spans are exported over OTLP/HTTP
// and each API request writes one JSON log line with its trace and request ids.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "@/lib/net/free-port";

describe("observability", () => {
  let collector: Server;
  let server: ChildProcess;
  let base = "";
  const received: { path: string; bytes: number }[] = [];
  const stdout: string[] = [];

  beforeAll(async () => {
    const otlpPort = await freePort();
    collector = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (c: Buffer) => (bytes += c.length));
      req.on("end", () => {
        received.push({ path: req.url ?? "", bytes });
        res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => collector.listen(otlpPort, "127.0.0.1", r));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: inject("databaseUrl"),
        PORT: String(port),
        HOST: "127.0.0.1",
        AUTH_SECRET: randomBytes(48).toString("base64url"),
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
        OTEL_BSP_SCHEDULE_DELAY: "200",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    server.stdout?.on("data", (c: Buffer) => stdout.push(...c.toString().split("\n").filter(Boolean)));
    await new Promise<void>((resolve, reject) => {
      server.on("message", (m: { type?: string }) => m.type === "listening" && resolve());
      server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
  });

  afterAll(async () => {
    server?.kill("SIGTERM");
    await new Promise((r) => server?.once("exit", r));
    collector?.close();
  });

  it("logs one JSON line per API request with trace, request and latency fields", async () => {
    const res = await fetch(`${base}/api/v1/me`, { headers: { "X-Request-Id": "obs-test-request-1" } });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    const lines = stdout.filter((l) => l.includes("obs-test-request-1")).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", msg: "request", request_id: "obs-test-request-1", endpoint: "GET /api/v1/me", status_code: 401, user_id: null });
    expect(lines[0]!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[0]!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof lines[0]!.latency_ms).toBe("number");
    expect(Date.parse(String(lines[0]!.timestamp))).not.toBeNaN();
  });

  it("exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set", async () => {
    await fetch(`${base}/api/health`);
    for (let i = 0; i < 50 && !received.some((r) => r.path === "/v1/traces"); i++) await new Promise((r) => setTimeout(r, 200));
    const traces = received.filter((r) => r.path === "/v1/traces");
    expect(traces.length).toBeGreaterThan(0);
    expect(traces[0]!.bytes).toBeGreaterThan(0);
  });
});
