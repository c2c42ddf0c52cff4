// A second server process (own database) pointed at a local OTLP/HTTP receiver (JSON protocol):
// a MASS request's traceparent becomes the parent of its ingest span, with database spans under it,
// and the BioCore call continues the same trace; every API request writes one JSON log line with its
// trace and request ids; Prometheus metrics are served to the bearer of METRICS_TOKEN only.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/lib/net/free-port";
import { startAppServer, type AppServer } from "../support/app-server";
import { freshIp } from "../support/http";
import { eventually } from "../support/eventually";

type Span = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
};

describe("observability", () => {
  let collector: Server;
  let app: AppServer;
  const spans: Span[] = [];
  const received: string[] = [];
  const metricsToken = randomBytes(24).toString("hex");

  let otlpPort = 0;

  beforeAll(async () => {
    otlpPort = await freePort();
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push(req.url ?? "");
        if (req.url === "/v1/traces") {
          const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as {
            resourceSpans?: { scopeSpans?: { spans?: Span[] }[] }[];
          };
          for (const rs of body.resourceSpans ?? [])
            for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
        }
        res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => collector.listen(otlpPort, "127.0.0.1", r));
    app = await startAppServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "200",
      LOG_LEVEL: "info",
      METRICS_TOKEN: metricsToken,
      BIOCORE_WORKER_POLL_MS: "200",
    });
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    collector?.close();
  });

  async function token(): Promise<string> {
    const res = await fetch(`${app.baseUrl}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": freshIp() },
      body: JSON.stringify({ email: app.adminEmail, password: app.adminPassword }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end)
        throw new Error(
          `timed out waiting for ${what}; spans seen: ${[...new Set(spans.map((s) => s.name))].join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("logs one JSON line per API request with trace, request and latency fields", async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/me`, {
      headers: { "X-Request-Id": "obs-test-request-1", "X-Forwarded-For": freshIp() },
    });
    expect(res.status).toBe(401);
    // The line is written once the whole answer has been sent (the client may have its headers earlier).
    await until("the request's access line", () => app.stdout.some((l) => l.includes("obs-test-request-1")) || null);
    await new Promise((r) => setTimeout(r, 200));
    const lines = app.stdout
      .filter((l) => l.includes("obs-test-request-1"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request",
      request_id: "obs-test-request-1",
      endpoint: "GET /api/v1/me",
      status_code: 401,
      user_id: null,
    });
    expect(lines[0]!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[0]!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof lines[0]!.latency_ms).toBe("number");
    expect(Date.parse(String(lines[0]!.timestamp))).not.toBeNaN();
  });

  it("continues a MASS request's trace: ingest span under its traceparent, database spans under it, then the BioCore call", async () => {
    const traceId = randomBytes(16).toString("hex");
    const parentId = randomBytes(8).toString("hex");
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    doc.trace = { traceparent: `00-${traceId}-${parentId}-01` };
    doc.request.idempotency_key = `idem-obs-${randomBytes(6).toString("hex")}`;
    const res = await fetch(`${app.baseUrl}/api/v1/mass/generate`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await token()}`,
        "Content-Type": "application/json",
        "X-Forwarded-For": freshIp(),
      },
      body: JSON.stringify(doc),
    });
    expect(res.status).toBe(201);

    const ingest = await until("the ingest span", () =>
      spans.find((s) => s.name === "mass.ingest" && s.traceId === traceId),
    );
    expect(ingest.parentSpanId).toBe(parentId);
    const inTrace = () => spans.filter((s) => s.traceId === traceId);
    await until("a database span under the ingest span", () =>
      inTrace().find((s) => s.name.startsWith("prisma:") && s.parentSpanId),
    );
    // Every database span belongs to the trace's tree. A parent ends (and is exported) after its
    // children, possibly in a later batch, so wait for the tree to be whole before judging it.
    const orphans = () => {
      const ids = new Set(inTrace().map((s) => s.spanId));
      return inTrace().filter((s) => s.name.startsWith("prisma:") && !(s.parentSpanId && ids.has(s.parentSpanId)));
    };
    await until("every database span's parent in the trace", () => orphans().length === 0 || null, 10_000).catch(
      () => null,
    );
    expect(inTrace().filter((s) => s.name.startsWith("prisma:")).length).toBeGreaterThan(0);
    expect(orphans().map((s) => `${s.name} -> ${s.parentSpanId}`)).toEqual([]);

    const call = await until("the BioCore call span in the same trace", () =>
      inTrace().find((s) => s.name === "biocore.recommend"),
    );
    expect(call.parentSpanId).toBe(parentId);
    // The HTTP call to BioCore (the reference engine) is a child of the call span, in the same trace.
    await until("the outgoing BioCore HTTP span", () =>
      inTrace().find((s) => s.parentSpanId === call.spanId && /fetch|POST/.test(s.name)),
    );
    // The trace ids are stored with the request, its BioCore call and its recommendations' audit events.
    const c = new pg.Client({ connectionString: app.databaseUrl });
    await c.connect();
    try {
      const mass = await c.query("select trace_id, span_id from mass_request where idempotency_key = $1", [
        doc.request.idempotency_key,
      ]);
      expect(mass.rows).toEqual([{ trace_id: traceId, span_id: ingest.spanId }]);
      const calls = await c.query(
        "select trace_id from biocore_call where mass_request_id = (select id from mass_request where idempotency_key = $1)",
        [doc.request.idempotency_key],
      );
      expect(calls.rows).toEqual([{ trace_id: traceId }]);
    } finally {
      await c.end();
    }
  });

  it("stores the MASS trace with every BioCore call of a request, a cache hit included, and continues a MASS Simple request's traceparent header", async () => {
    const traceId = randomBytes(16).toString("hex");
    const bearer = await token();
    const res = await fetch(`${app.baseUrl}/api/v1/mass`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${bearer}`,
        "Content-Type": "application/json",
        "X-Forwarded-For": freshIp(),
        "Idempotency-Key": `idem-obs-simple-${randomBytes(6).toString("hex")}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
      },
      body: JSON.stringify({
        payload: { site_id: "obs1", timestamp_utc: "2026-03-01T10:00:00Z", it_load_kw: 100, facility_power_kw: 140 },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const c = new pg.Client({ connectionString: app.databaseUrl });
    await c.connect();
    try {
      const calls = async (n: number) => {
        const { rows } = await c.query<{ cache: string; trace_id: string | null }>(
          "select cache, trace_id from biocore_call where mass_request_id = $1 order by started_at",
          [id],
        );
        return rows.length === n ? rows : null;
      };
      const first = await eventually("the first BioCore call", () => calls(1));
      expect((await c.query("select trace_id from mass_request where id = $1", [id])).rows).toEqual([
        { trace_id: traceId },
      ]);
      // Asked again: the client's cache answers, nothing is sent to BioCore, the trace is still stored.
      const again = await fetch(`${app.baseUrl}/api/v1/mass/${id}/recommend`, {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, "X-Forwarded-For": freshIp() },
      });
      expect(again.status).toBe(202);
      const both = await eventually("the second BioCore call", () => calls(2));
      expect(first).toEqual([{ cache: "miss", trace_id: traceId }]);
      expect(both).toEqual([
        { cache: "miss", trace_id: traceId },
        { cache: "hit", trace_id: traceId },
      ]);
    } finally {
      await c.end();
    }
  });

  it("keeps the recommendation worker's queue work out of the trace of the request that woke it", async () => {
    // The request's own trace (its HTTP span) and the MASS document's trace (ingest, BioCore call) differ.
    const httpTrace = randomBytes(16).toString("hex");
    const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    doc.trace = { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01` };
    doc.request.idempotency_key = `idem-obs-${randomBytes(6).toString("hex")}`;
    const res = await fetch(`${app.baseUrl}/api/v1/mass/generate`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await token()}`,
        "Content-Type": "application/json",
        "X-Forwarded-For": freshIp(),
        traceparent: `00-${httpTrace}-${randomBytes(8).toString("hex")}-01`,
      },
      body: JSON.stringify(doc),
    });
    expect(res.status).toBe(201);
    const c = new pg.Client({ connectionString: app.databaseUrl });
    await c.connect();
    try {
      const deadline = Date.now() + 20_000;
      const done = async () =>
        (
          await c.query(
            "select count(*)::int as n from recommendation_job j join mass_request m on m.id = j.mass_request_id where m.idempotency_key = $1 and j.status = 'done'",
            [doc.request.idempotency_key],
          )
        ).rows[0].n === 1;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error("the job did not complete");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await c.end();
    }
    await until("the request's HTTP span", () => spans.find((s) => s.traceId === httpTrace));
    // Spans end and are exported in batches every 200 ms: give the worker's a moment to arrive.
    await new Promise((r) => setTimeout(r, 1_500));
    const inRequest = spans.filter((s) => s.traceId === httpTrace);
    const queueWork = inRequest.filter(
      (s) => s.name === "biocore.recommend" || JSON.stringify(s.attributes ?? []).includes("recommendation_job"),
    );
    expect(queueWork.map((s) => s.name)).toEqual([]);
    // The BioCore call still continues the document's trace.
    await until("the BioCore call in the document's trace", () =>
      spans.find((s) => s.name === "biocore.recommend" && s.traceId === doc.trace.traceparent.split("-")[1]),
    );
  });

  it("exports no query value in any span attribute (a client may put credentials in the query string)", async () => {
    const secret = `s3cret-${randomBytes(6).toString("hex")}`;
    const res = await fetch(`${app.baseUrl}/api/v1/me?access_token=${secret}&password=${secret}`, {
      headers: { Authorization: `Bearer ${await token()}`, "X-Forwarded-For": freshIp() },
    });
    expect(res.status).toBe(200);
    const target = await until("a span carrying the request's target", () =>
      spans.find((sp) =>
        (sp.attributes ?? []).some(
          (a) => typeof a.value.stringValue === "string" && (a.value.stringValue as string).startsWith("/api/v1/me?"),
        ),
      ),
    );
    expect(JSON.stringify(target.attributes)).toContain("access_token=[redacted]&password=[redacted]");
    expect(JSON.stringify(spans)).not.toContain(secret);
  });

  it("labels request metrics by route template: anonymous requests to made-up paths add no series", async () => {
    const made = Array.from({ length: 5 }, (_, i) => `not-an-id-${randomBytes(4).toString("hex")}-${i}`);
    for (const id of made)
      expect(
        (await fetch(`${app.baseUrl}/api/v1/mass/${id}/events`, { headers: { "X-Forwarded-For": freshIp() } })).status,
      ).toBe(401);
    const scrape = async () =>
      (
        await fetch(`${app.baseUrl}/api/metrics`, {
          headers: { Authorization: `Bearer ${metricsToken}`, "X-Forwarded-For": freshIp() },
        })
      ).text();
    const counted =
      /pib_http_server_request_duration_seconds_count\{[^}]*route="\/api\/v1\/mass\/:id\/events"[^}]*status="401"[^}]*\} ([5-9]|\d{2,})/;
    // A sample is taken once its answer has been sent: the last one may follow the scrape by a moment.
    let text = await scrape();
    for (let i = 0; i < 50 && !counted.test(text); i++)
      text = await new Promise((r) => setTimeout(r, 100)).then(scrape);
    for (const id of made) expect(text).not.toContain(id);
    expect(text).toMatch(counted);
  });

  it("serves Prometheus metrics to the bearer of METRICS_TOKEN only", async () => {
    expect((await fetch(`${app.baseUrl}/api/metrics`, { headers: { "X-Forwarded-For": freshIp() } })).status).toBe(401);
    expect(
      (
        await fetch(`${app.baseUrl}/api/metrics`, {
          headers: { Authorization: "Bearer wrong-token-wrong-token", "X-Forwarded-For": freshIp() },
        })
      ).status,
    ).toBe(401);
    const res = await fetch(`${app.baseUrl}/api/metrics`, {
      headers: { Authorization: `Bearer ${metricsToken}`, "X-Forwarded-For": freshIp() },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /pib_http_server_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/mass\/generate"[^}]*status="201"/,
    );
    expect(text).toMatch(/pib_mass_requests_total\{result="accepted",layer=""\} [1-9]/);
    expect(text).toMatch(/pib_biocore_calls_total\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/pib_biocore_circuit_state 0/);
    expect(text).toMatch(/pib_recommendation_jobs\{status="pending"\} \d/);
    expect(text).toMatch(/pib_audit_chain_length \d/);
    expect(text).toMatch(/pib_db_pool_connections\{state="total"\} [1-9]/);
    expect(text).toMatch(/process_resident_memory_bytes \d/);
  });

  it("exports no trace of the background loops' idle polls, and still the traces of requests", async () => {
    // The worker polls every 200 ms here, the sealer and the verification pass on their own timers.
    await new Promise((r) => setTimeout(r, 1_500));
    const traceId = randomBytes(16).toString("hex");
    await fetch(`${app.baseUrl}/api/v1/me`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`, "X-Forwarded-For": freshIp() },
    });
    await until("the request's span", () => spans.find((s) => s.traceId === traceId));
    const idleRoots = spans.filter((s) => !s.parentSpanId && s.name.startsWith("prisma:"));
    expect(idleRoots.map((s) => s.name)).toEqual([]);
  });

  it("exports a request's spans on a graceful stop, before the batch would have sent them", async () => {
    // A batch delay far beyond the test: only the flush on SIGTERM can send these spans.
    const quiet = await startAppServer({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "600000",
      BIOCORE_WORKER: "false",
      VERIFY_WORKER: "false",
    });
    const traceId = randomBytes(16).toString("hex");
    try {
      const res = await fetch(`${quiet.baseUrl}/api/v1/mass/validate`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
          "X-Forwarded-For": freshIp(),
        },
        body: "{}",
      });
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 500));
      expect(spans.some((s) => s.traceId === traceId)).toBe(false);
    } finally {
      await quiet.stop();
    }
    await until("the request's span after the stop", () => spans.find((s) => s.traceId === traceId), 5_000);
  }, 120_000);
});
