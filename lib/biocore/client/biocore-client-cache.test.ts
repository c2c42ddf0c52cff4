// The client's cache against a real local server: max-age, no-store, no header, volatile fields,
// and the last good answer served — marked stale, with its age — while BioCore fails.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createBioCoreClient, type BioCoreClientOptions } from "./index";
import { sendJson, startServer, type Behaviour, type MisbehavingServer } from "@/tests/support/misbehaving-biocore";

const GOOD = JSON.parse(readFileSync(new URL("../../mass/examples/biocore-response.json", import.meta.url), "utf8"));
const REQUEST = JSON.parse(
  readFileSync(new URL("../../mass/examples/enterprise-request.json", import.meta.url), "utf8"),
);

const servers: MisbehavingServer[] = [];
async function serve(behaviour: Behaviour): Promise<MisbehavingServer> {
  const server = await startServer(behaviour);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function setup(server: MisbehavingServer, overrides: Partial<BioCoreClientOptions> = {}) {
  const clock = { ms: Date.parse("2026-11-20T14:00:10Z") };
  const client = createBioCoreClient({
    baseUrl: server.url,
    timeoutMs: 200,
    backoff: { initialMs: 1, maxMs: 2 },
    breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000, failureRate: null },
    now: () => clock.ms,
    ...overrides,
  });
  return { client, clock };
}

const answer =
  (headers: Record<string, string>): Behaviour =>
  (_req, res) =>
    sendJson(res, 200, GOOD, headers);

/** The same question delivered again: new ids, clock and trace context. */
const REDELIVERED = {
  ...REQUEST,
  correlation_id: "corr-other",
  trace: { traceparent: "00-11111111111111111111111111111111-2222222222222222-01" },
  received_at_utc: "2026-11-20T14:05:00Z",
  request: {
    ...REQUEST.request,
    request_id: "req-other",
    idempotency_key: "idem-other",
    timestamp_utc: "2026-11-20T14:05:00Z",
  },
};

describe("BioCore client cache", () => {
  it("serves a max-age answer from cache, also to a request differing only in volatile fields", async () => {
    const server = await serve(answer({ "cache-control": "max-age=60" }));
    const { client, clock } = setup(server);
    const first = await client.recommend(REQUEST);
    clock.ms += 5_000;
    const second = await client.recommend(REQUEST);
    const redelivered = await client.recommend(REDELIVERED);
    expect(server.hits).toBe(1);
    expect(second).toMatchObject({
      ok: true,
      stale: false,
      cache: "hit",
      ageSeconds: 5,
      call: { outcome: "cache_hit", cache: "hit", attempt_count: 0 },
    });
    expect(redelivered).toMatchObject({ ok: true, cache: "hit" });
    expect(second.call.request_key).toBe(first.call.request_key);
    expect(redelivered.call.request_key).toBe(first.call.request_key);
    expect(second.call.model_version).toBe("2.4.1");
  });

  it("asks again for a different request, and once max-age has passed", async () => {
    const server = await serve(answer({ "cache-control": "max-age=60" }));
    const { client, clock } = setup(server);
    await client.recommend(REQUEST);
    const changed = {
      ...REQUEST,
      request: {
        ...REQUEST.request,
        signals: { ...REQUEST.request.signals, energy: { ...REQUEST.request.signals.energy, it_load_kw: 1900 } },
      },
    };
    expect((await client.recommend(changed)).call.cache).toBe("miss");
    clock.ms += 61_000;
    expect((await client.recommend(REQUEST)).call.cache).toBe("miss");
    expect(server.hits).toBe(3);
  });

  it("never stores a no-store answer, nor serves it stale", async () => {
    const server = await serve(answer({ "cache-control": "no-store" }));
    const { client } = setup(server);
    await client.recommend(REQUEST);
    expect((await client.recommend(REQUEST)).call.cache).toBe("miss");
    expect(server.hits).toBe(2);
    expect(client.state().cacheEntries).toBe(0);
    server.behave((_req, res) => sendJson(res, 500, {}));
    expect(await client.recommend(REQUEST)).toMatchObject({
      ok: false,
      stale: false,
      error: { kind: "http", status: 500 },
    });
  });

  it("a later no-store answer drops the earlier one", async () => {
    const server = await serve(answer({}));
    const { client } = setup(server);
    await client.recommend(REQUEST);
    expect(client.state().cacheEntries).toBe(1);
    server.behave(answer({ "cache-control": "no-store" }));
    await client.recommend(REQUEST);
    expect(client.state().cacheEntries).toBe(0);
  });

  it("keeps an answer without Cache-Control only as a stale fallback", async () => {
    const server = await serve(answer({}));
    const { client } = setup(server);
    await client.recommend(REQUEST);
    expect((await client.recommend(REQUEST)).call.cache).toBe("miss");
    expect(server.hits).toBe(2);
  });

  it("serves the last good answer, marked stale with its age, while BioCore fails and the circuit is open", async () => {
    const server = await serve(answer({ "cache-control": "max-age=1" }));
    const { client, clock } = setup(server);
    const fresh = await client.recommend(REQUEST);
    expect(fresh).toMatchObject({ ok: true, stale: false, cache: "miss" });

    server.behave((_req, res) => sendJson(res, 500, { error: "boom" }));
    clock.ms += 30_000;
    const failing = await client.recommend(REDELIVERED);
    expect(failing).toMatchObject({
      ok: true,
      stale: true,
      cache: "stale",
      ageSeconds: 30,
      error: { kind: "http", status: 500 },
    });
    expect(failing.call).toMatchObject({ outcome: "stale", cache: "stale", http_status: 500, model_version: "2.4.1" });

    await client.recommend(REQUEST);
    expect(client.state().breaker).toBe("open");
    const hitsWhenOpened = server.hits;
    clock.ms += 12_000;
    const open = await client.recommend(REQUEST);
    expect(open).toMatchObject({
      ok: true,
      stale: true,
      ageSeconds: 42,
      error: { kind: "circuit_open" },
      call: { breaker_state: "open", attempt_count: 0 },
    });
    if (open.ok) expect(open.response.response.model.policy_id).toBe("dc-cooling-shadow-v7");
    expect(server.hits).toBe(hitsWhenOpened);
  });

  it("answers an error when there is no good answer to fall back on", async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}));
    const { client } = setup(server, { maxRetries: 0 });
    expect(await client.recommend(REQUEST)).toMatchObject({
      ok: false,
      stale: false,
      error: { kind: "http", status: 503 },
      call: { outcome: "error", cache: "miss" },
    });
  });

  it("does not cover a refused request (4xx) with a stale answer", async () => {
    const server = await serve(answer({}));
    const { client } = setup(server);
    await client.recommend(REQUEST);
    server.behave((_req, res) => sendJson(res, 422, {}));
    expect(await client.recommend(REQUEST)).toMatchObject({ ok: false, error: { kind: "http", status: 422 } });
  });

  it("drops stale answers older than maxStaleSeconds", async () => {
    const server = await serve(answer({}));
    const { client, clock } = setup(server, { cache: { maxEntries: 10, maxStaleSeconds: 60 } });
    await client.recommend(REQUEST);
    server.behave((_req, res) => sendJson(res, 500, {}));
    clock.ms += 61_000;
    expect((await client.recommend(REQUEST)).ok).toBe(false);
  });

  it("does not keep answers whose status is not OK or DEGRADED", async () => {
    const unavailable = {
      ...GOOD,
      response: { ...GOOD.response, status: { ...GOOD.response.status, code: "UNAVAILABLE" } },
    };
    const server = await serve((_req, res) => sendJson(res, 200, unavailable, { "cache-control": "max-age=60" }));
    const { client } = setup(server);
    expect((await client.recommend(REQUEST)).ok).toBe(true);
    expect(client.state().cacheEntries).toBe(0);
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const server = await serve(answer({ "cache-control": "max-age=60" }));
    const { client } = setup(server, { cache: { maxEntries: 2 } });
    await client.recommend({ ...REQUEST, n: 1 });
    await client.recommend({ ...REQUEST, n: 2 });
    await client.recommend({ ...REQUEST, n: 1 }); // hit: n=1 is now the most recent
    await client.recommend({ ...REQUEST, n: 3 }); // evicts n=2
    expect(client.state().cacheEntries).toBe(2);
    expect((await client.recommend({ ...REQUEST, n: 1 })).call.cache).toBe("hit");
    expect((await client.recommend({ ...REQUEST, n: 2 })).call.cache).toBe("miss");
  });
});
