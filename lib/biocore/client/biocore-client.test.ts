// The client against real local HTTP servers that misbehave: timeouts, retries, the breaker, bad
// answers, Retry-After, the bulkhead, trace propagation. No fetch mocking.
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { ROOT_CONTEXT, context, trace, type Context, type ContextManager } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBioCoreClient, type BioCoreClientOptions } from "./index";
import {
  sendJson,
  sleep,
  startServer,
  type Behaviour,
  type MisbehavingServer,
} from "@/tests/support/misbehaving-biocore";

const GOOD = JSON.parse(readFileSync(new URL("../../mass/examples/biocore-response.json", import.meta.url), "utf8"));
const REQUEST = JSON.parse(
  readFileSync(new URL("../../mass/examples/enterprise-request.json", import.meta.url), "utf8"),
);
const NOW = Date.parse("2026-11-20T14:00:10Z");

const servers: MisbehavingServer[] = [];
async function serve(behaviour: Behaviour): Promise<MisbehavingServer> {
  const server = await startServer(behaviour);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function clientFor(server: MisbehavingServer, overrides: Partial<BioCoreClientOptions> = {}) {
  return createBioCoreClient({
    baseUrl: server.url,
    timeoutMs: 200,
    backoff: { initialMs: 10, maxMs: 40 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 150, failureRate: null },
    random: () => 0.5,
    now: () => NOW,
    ...overrides,
  });
}

const ok: Behaviour = (_req, res) => sendJson(res, 200, GOOD);

describe("BioCore client: a good answer", () => {
  it("posts the request to /recommend and records the call", async () => {
    const server = await serve(ok);
    const outcome = await clientFor(server, { token: "s3cret" }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: true, stale: false, cache: "miss", ageSeconds: 0 });
    if (!outcome.ok) throw new Error("expected ok");
    expect(outcome.response.response.model.version).toBe("2.4.1");
    expect(outcome.call).toMatchObject({
      endpoint: "/recommend",
      started_at: "2026-11-20T14:00:10.000Z",
      attempt_count: 1,
      outcome: "ok",
      http_status: 200,
      breaker_state: "closed",
      cache: "miss",
      model: { name: "biocore", version: "2.4.1", policy_id: "dc-cooling-shadow-v7" },
      model_version: "2.4.1",
      error: null,
    });
    expect(outcome.call.request_key).toMatch(/^[0-9a-f]{64}$/);
    const received = server.requests[0];
    expect(received).toMatchObject({ method: "POST", path: "/recommend" });
    expect(JSON.parse(received?.body ?? "")).toEqual(REQUEST);
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.headers.authorization).toBe("Bearer s3cret");
  });

  it("keeps a base path in BIOCORE_URL", async () => {
    const server = await serve(ok);
    const client = createBioCoreClient({ baseUrl: `${server.url}/api/biocore-reference`, timeoutMs: 200 });
    expect((await client.recommend(REQUEST)).ok).toBe(true);
    expect(server.requests[0]?.path).toBe("/api/biocore-reference/recommend");
  });
});

describe("BioCore client: timeouts", () => {
  it("fails an attempt slower than the timeout, retrying it", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(400);
      sendJson(res, 200, GOOD);
    });
    const started = performance.now();
    const outcome = await clientFor(server, { timeoutMs: 100, maxRetries: 1 }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(outcome.call.attempt_count).toBe(2);
    expect(outcome.call.attempts.map((a) => a.error)).toEqual(["timeout", "timeout"]);
    expect(performance.now() - started).toBeLessThan(380);
    expect(server.hits).toBe(2);
  });

  it("uses the request's timeout_ms when it is the shorter one", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(300);
      sendJson(res, 200, GOOD);
    });
    const started = performance.now();
    const outcome = await clientFor(server, { timeoutMs: 1000, maxRetries: 0 }).recommend(REQUEST, { timeoutMs: 80 });
    expect(outcome).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(performance.now() - started).toBeLessThan(250);
  });

  it("bounds the body read too, not just the headers", async () => {
    const server = await serve(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"schema_version":');
      await sleep(400);
      res.end(JSON.stringify(GOOD).slice(18));
    });
    const outcome = await clientFor(server, { timeoutMs: 100, maxRetries: 0 }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(outcome.call.latency_ms).toBeLessThan(300);
  });

  it("ends the whole call within its total budget", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(400);
      sendJson(res, 200, GOOD);
    });
    const outcome = await clientFor(server, { timeoutMs: 100, totalTimeoutMs: 150, maxRetries: 3 }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(outcome.call.latency_ms).toBeLessThan(300);
    expect(server.hits).toBeLessThanOrEqual(2);
  });
});

describe("BioCore client: retries", () => {
  it("retries a 503 and records both attempts", async () => {
    const server = await serve((_req, res, hit) =>
      hit === 1 ? sendJson(res, 503, { error: "busy" }) : sendJson(res, 200, GOOD),
    );
    const outcome = await clientFor(server).recommend(REQUEST);
    expect(outcome.ok).toBe(true);
    expect(server.hits).toBe(2);
    // Full jitter with random() = 0.5: 0.5 × min(40, 10 × 2^0) = 5 ms.
    expect(outcome.call.attempts).toMatchObject([
      { attempt: 1, status: 503, error: "http", delay_ms: 0 },
      { attempt: 2, status: 200, delay_ms: 5 },
    ]);
    expect(outcome.call.http_status).toBe(200);
  });

  it("retries a connection reset, at most maxRetries times", async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const outcome = await clientFor(server, {
      maxRetries: 2,
      breaker: { consecutiveFailures: 10, halfOpenAfterMs: 150 },
    }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "network" } });
    expect(server.hits).toBe(3);
    expect(outcome.call.attempts.map((a) => a.delay_ms)).toEqual([0, 5, 10]);
  });

  it("lets one call ask for fewer retries, never more", async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}));
    const client = clientFor(server, { maxRetries: 1, breaker: { consecutiveFailures: 10, halfOpenAfterMs: 150 } });
    expect((await client.health({ maxRetries: 0 })).call.attempt_count).toBe(1);
    expect((await client.health({ maxRetries: 3 })).call.attempt_count).toBe(2);
  });

  it("waits for Retry-After on a 429", async () => {
    const server = await serve((_req, res, hit) =>
      hit === 1 ? sendJson(res, 429, { error: "slow down" }, { "retry-after": "1" }) : sendJson(res, 200, GOOD),
    );
    const started = performance.now();
    const outcome = await clientFor(server, { totalTimeoutMs: 3000 }).recommend(REQUEST);
    expect(outcome.ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(outcome.call.attempts).toMatchObject([{ status: 429 }, { status: 200, delay_ms: 1000 }]);
  });

  it("gives up at once when Retry-After is beyond the budget", async () => {
    const server = await serve((_req, res) => sendJson(res, 429, { error: "slow down" }, { "retry-after": "120" }));
    const outcome = await clientFor(server).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "http", status: 429 } });
    expect(server.hits).toBe(1);
    expect(outcome.call.latency_ms).toBeLessThan(100);
  });

  it.each([
    [400, 0],
    [404, 0],
    [422, 0],
    [500, 1],
    [501, 1],
  ])("never retries HTTP %i (breaker count after: %i)", async (status, counted) => {
    const server = await serve((_req, res) => sendJson(res, status, { error: "no" }));
    const client = clientFor(server);
    const outcome = await client.recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "http", status } });
    expect(server.hits).toBe(1);
    expect(client.state().consecutiveFailures).toBe(counted);
  });

  it("does not follow a redirect", async () => {
    const elsewhere = await serve(ok);
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/recommend` });
      res.end();
    });
    const outcome = await clientFor(server).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "http", status: 302 } });
    expect(elsewhere.hits).toBe(0);
  });
});

describe("BioCore client: answers that are not answers", () => {
  it.each([
    ["malformed JSON", '{"schema_version": "1.1", ', "invalid_json"],
    ["schema-invalid JSON", { ...GOOD, response: { ...GOOD.response, summary: { confidence: 7 } } }, "invalid_schema"],
    ["an empty body", "", "invalid_json"],
  ])("fails on %s without retrying, and counts it against the breaker", async (_name, body, kind) => {
    const server = await serve((_req, res) => sendJson(res, 200, body));
    const client = clientFor(server);
    const outcome = await client.recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind, status: 200 } });
    expect(server.hits).toBe(1);
    expect(client.state().consecutiveFailures).toBe(1);
  });

  it("names where the answer breaks the contract", async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { ...GOOD, response: { ...GOOD.response, model: { name: "biocore" } } }),
    );
    const outcome = await clientFor(server).recommend(REQUEST);
    expect(!outcome.ok && outcome.error.message).toContain("response.model.version");
  });

  it("refuses an answer over the size limit", async () => {
    const server = await serve(ok);
    const outcome = await clientFor(server, { maxResponseBytes: 100 }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "response_too_large" } });
  });

  it("refuses an oversized chunked answer while reading it", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(GOOD));
    });
    const outcome = await clientFor(server, { maxResponseBytes: 100 }).recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "response_too_large" } });
  });
});

describe("BioCore client: circuit breaker", () => {
  it("opens after N failures, half-opens after the cool-down and closes on success", async () => {
    const server = await serve((_req, res) => sendJson(res, 500, { error: "boom" }));
    const client = clientFor(server);
    for (let i = 0; i < 3; i++) {
      const outcome = await client.recommend(REQUEST);
      expect(outcome).toMatchObject({ ok: false, error: { kind: "http", status: 500 } });
    }
    expect(client.state()).toMatchObject({ breaker: "open", consecutiveFailures: 3 });

    const refused = await client.recommend(REQUEST);
    expect(refused).toMatchObject({ ok: false, error: { kind: "circuit_open" } });
    expect(refused.call).toMatchObject({ attempt_count: 0, breaker_state: "open", http_status: null });
    expect(server.hits).toBe(3);

    await sleep(170);
    expect(client.state().breaker).toBe("half_open");
    server.behave(ok);
    const trial = await client.recommend(REQUEST);
    expect(trial.ok).toBe(true);
    expect(server.hits).toBe(4);
    expect(trial.call.breaker_state).toBe("closed");
    expect(client.state()).toMatchObject({ breaker: "closed", consecutiveFailures: 0 });
  });

  it("lets a health probe test a half-open breaker only when asked: a healthy answer closes it", async () => {
    const server = await serve((_req, res) => sendJson(res, 500, { error: "boom" }));
    const client = clientFor(server);
    for (let i = 0; i < 3; i++) await client.recommend(REQUEST);
    await sleep(170);
    expect(client.state().breaker).toBe("half_open");
    server.behave((_req, res) => sendJson(res, 200, { status: "ok", checked_at_utc: new Date().toISOString() }));
    // A plain probe goes around the breaker: it sees BioCore healthy and leaves the breaker as it is.
    expect((await client.health()).ok).toBe(true);
    expect(client.state().breaker).toBe("half_open");
    // With no job left to try BioCore, the status panel's probe does, and closes the breaker.
    expect((await client.health({ testBreaker: true })).ok).toBe(true);
    expect(client.state().breaker).toBe("closed");
    // A closed breaker is left alone by such a probe.
    server.behave((_req, res) => sendJson(res, 503, {}));
    expect((await client.health({ testBreaker: true, maxRetries: 0 })).ok).toBe(false);
    expect(client.state()).toMatchObject({ breaker: "closed", consecutiveFailures: 0 });
  });

  it("re-opens when the half-open trial fails", async () => {
    const server = await serve((_req, res) => sendJson(res, 500, { error: "boom" }));
    const client = clientFor(server);
    for (let i = 0; i < 3; i++) await client.recommend(REQUEST);
    await sleep(170);
    const trial = await client.recommend(REQUEST);
    expect(trial).toMatchObject({ ok: false, error: { kind: "http", status: 500 }, call: { breaker_state: "open" } });
    expect((await client.recommend(REQUEST)).ok).toBe(false);
    expect(server.hits).toBe(4);
  });

  it("counts every retried attempt, and stops retrying once the circuit opens", async () => {
    const server = await serve((_req, res) => sendJson(res, 503, { error: "busy" }));
    const client = clientFor(server, { maxRetries: 3 });
    const outcome = await client.recommend(REQUEST);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "circuit_open" } });
    expect(outcome.call.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(server.hits).toBe(3);
  });

  it("opens on a failure rate too", async () => {
    let n = 0;
    const server = await serve((_req, res) => (n++ % 2 === 0 ? sendJson(res, 500, {}) : sendJson(res, 200, GOOD)));
    const client = clientFor(server, {
      breaker: {
        consecutiveFailures: 100,
        halfOpenAfterMs: 10_000,
        failureRate: { threshold: 0.4, windowSize: 6, minimumCalls: 6 },
      },
    });
    // fail, ok, fail, ok, fail, ok, fail: 3 of the last 6 failed, over 40 %, never 2 in a row.
    for (let i = 0; i < 7; i++) await client.recommend({ ...REQUEST, n: i });
    expect(client.state()).toMatchObject({ breaker: "open", consecutiveFailures: 1 });
    expect(await client.recommend(REQUEST)).toMatchObject({ ok: false, error: { kind: "circuit_open" } });
    expect(server.hits).toBe(7);
  });

  it("reports breaker changes through onEvent", async () => {
    const events: string[] = [];
    const server = await serve((_req, res) => sendJson(res, 500, {}));
    const client = clientFor(server, {
      onEvent: (e) => events.push(e.type === "breaker" ? `breaker:${e.state}` : e.type),
    });
    for (let i = 0; i < 3; i++) await client.recommend(REQUEST);
    expect(events).toEqual(["call", "call", "breaker:open", "call"]);
  });
});

describe("BioCore client: bulkhead and cancellation", () => {
  it("rejects calls beyond the concurrency and queue limits without calling BioCore", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(150);
      sendJson(res, 200, GOOD);
    });
    const client = clientFor(server, { timeoutMs: 500, maxConcurrent: 1, maxQueued: 0 });
    const first = client.recommend(REQUEST);
    await sleep(20);
    expect(client.state()).toMatchObject({ inFlight: 1, queued: 0 });
    const second = await client.recommend({ ...REQUEST, other: true });
    expect(second).toMatchObject({ ok: false, error: { kind: "bulkhead_full" }, call: { attempt_count: 0 } });
    expect((await first).ok).toBe(true);
    expect(server.hits).toBe(1);
    expect(client.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("queues a call when a queue slot is free", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(60);
      sendJson(res, 200, GOOD);
    });
    const client = clientFor(server, { timeoutMs: 500, maxConcurrent: 1, maxQueued: 1 });
    const both = Promise.all([client.recommend(REQUEST), client.recommend({ ...REQUEST, other: true })]);
    await sleep(20);
    expect(client.state()).toMatchObject({ inFlight: 1, queued: 1 });
    expect((await both).map((o) => o.ok)).toEqual([true, true]);
  });

  it("answers `aborted` when the caller cancels, without blaming BioCore", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(300);
      sendJson(res, 200, GOOD);
    });
    const client = clientFor(server, { timeoutMs: 1000 });
    const outcome = await client.recommend(REQUEST, { signal: AbortSignal.timeout(50) });
    expect(outcome).toMatchObject({ ok: false, error: { kind: "aborted" } });
    expect(outcome.call.latency_ms).toBeLessThan(250);
    expect(client.state().consecutiveFailures).toBe(0);
    expect(server.hits).toBe(1);
  });

  it("answers a refused connection as a network error", async () => {
    const server = await serve(ok);
    const url = server.url;
    await server.close();
    servers.length = 0;
    const client = createBioCoreClient({
      baseUrl: url,
      timeoutMs: 200,
      maxRetries: 1,
      backoff: { initialMs: 1, maxMs: 1 },
    });
    expect(await client.recommend(REQUEST)).toMatchObject({
      ok: false,
      error: { kind: "network" },
      call: { attempt_count: 2 },
    });
  });
});

describe("BioCore client: traceparent", () => {
  const manager = new (class implements ContextManager {
    private readonly storage = new AsyncLocalStorage<Context>();
    active(): Context {
      return this.storage.getStore() ?? ROOT_CONTEXT;
    }
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      ctx: Context,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F> {
      return this.storage.run(ctx, () => fn.call(thisArg, ...args));
    }
    bind<T>(_ctx: Context, target: T): T {
      return target;
    }
    enable(): this {
      return this;
    }
    disable(): this {
      this.storage.disable();
      return this;
    }
  })();
  beforeAll(() => {
    context.setGlobalContextManager(manager);
  });
  afterAll(() => {
    context.disable();
  });

  it("sends the traceparent the caller passes", async () => {
    const server = await serve(ok);
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const outcome = await clientFor(server).recommend(REQUEST, { traceparent });
    expect(server.requests[0]?.headers.traceparent).toBe(traceparent);
    expect(outcome.call.traceparent).toBe(traceparent);
  });

  it("sends the active span's context", async () => {
    const server = await serve(ok);
    const span = trace.wrapSpanContext({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      traceFlags: 1,
    });
    const outcome = await context.with(trace.setSpan(context.active(), span), () =>
      clientFor(server).recommend(REQUEST),
    );
    expect(server.requests[0]?.headers.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(outcome.call.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  });

  it("sends none outside a trace, and drops an invalid one", async () => {
    const server = await serve(ok);
    const client = clientFor(server);
    await client.recommend(REQUEST);
    const outcome = await client.recommend({ ...REQUEST, x: 1 }, { traceparent: "00-abc\r\nx-evil: 1" });
    expect(server.requests.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);
    expect(outcome.call.traceparent).toBeNull();
  });
});

describe("BioCore client: /health and /version", () => {
  const HEALTH = { status: "ok", checked_at_utc: "2026-11-20T14:00:00Z" };
  const VERSION = {
    name: "biocore",
    version: "2.4.1",
    model_version: "m-7",
    feature_set_version: "fs-2026.10",
    policy_id: "dc-cooling-shadow-v7",
  };

  it("validates both answers and labels later records with the version", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/health") sendJson(res, 200, HEALTH);
      else if (req.url === "/version") sendJson(res, 200, VERSION);
      else sendJson(res, 200, GOOD);
    });
    const client = clientFor(server);
    expect(await client.health()).toMatchObject({
      ok: true,
      value: HEALTH,
      call: { endpoint: "/health", cache: "bypass", request_key: null },
    });
    expect(await client.version()).toMatchObject({
      ok: true,
      value: VERSION,
      call: { biocore_version: "biocore 2.4.1" },
    });
    expect((await client.recommend(REQUEST)).call.biocore_version).toBe("biocore 2.4.1");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /health",
      "GET /version",
      "POST /recommend",
    ]);
  });

  it("fails on an invalid answer and retries a 503, outside the breaker", async () => {
    const server = await serve((req, res, hit) => {
      if (hit === 1) sendJson(res, 503, {});
      else sendJson(res, 200, { status: "fine" });
    });
    const client = clientFor(server, {
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000, failureRate: null },
    });
    const outcome = await client.health();
    expect(outcome).toMatchObject({ ok: false, error: { kind: "invalid_schema" }, call: { attempt_count: 2 } });
    expect(client.state()).toMatchObject({ breaker: "closed", consecutiveFailures: 0 });
  });
});
