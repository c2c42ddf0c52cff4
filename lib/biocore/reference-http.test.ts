// The reference engine's HTTP answers, as the worker's loopback server gives them (the app's routes
// give the same through the API wrapper: tests/integration/worker-process.test.ts compares both).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recommend, referenceHealth, referenceVersion } from "./reference";
import { exampleRequest } from "./reference/test-requests";
import { answerReferenceRequest, REFERENCE_BASE_PATH } from "./reference-http";

const NOW = new Date("2026-11-20T14:06:00Z");
const url = (endpoint: string) => `http://127.0.0.1${REFERENCE_BASE_PATH}${endpoint}`;
const post = (body: string, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
  new Request(url("/recommend"), { method: "POST", headers, body });

describe("the reference engine's answers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers /recommend with the engine's answer, cacheable for 300 s, with the request's id", async () => {
    const request = exampleRequest();
    const res = await answerReferenceRequest(
      post(JSON.stringify(request), { "Content-Type": "application/json", "X-Request-Id": "req-id-12345" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("max-age=300");
    expect(res.headers.get("x-request-id")).toBe("req-id-12345");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as ReturnType<typeof recommend>;
    expect(body.response.audit.latency_ms).toBeGreaterThanOrEqual(0);
    const expected = recommend(request, { now: NOW });
    expected.response.audit.latency_ms = body.response.audit.latency_ms;
    expect(body).toEqual(expected);
    expect(body.response.recommendations.length).toBeGreaterThan(0);
  });

  it("answers /health and /version as the engine does, never cached", async () => {
    const health = await answerReferenceRequest(new Request(url("/health")));
    expect(health.status).toBe(200);
    expect(health.headers.get("cache-control")).toBe("no-store");
    expect(await health.json()).toEqual(referenceHealth(NOW));
    const version = await answerReferenceRequest(new Request(url("/version")));
    expect(version.status).toBe(200);
    expect(version.headers.get("cache-control")).toBe("no-store");
    expect(await version.json()).toEqual(referenceVersion());
    // A request id it was not given (or an invalid one) is its own.
    expect(version.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses what the API wrapper refuses, as problem+json: media type, JSON, body shape, size", async () => {
    const cases: [Request, number, string][] = [
      [post("{}", { "Content-Type": "text/plain" }), 415, "unsupported_media_type"],
      [post("{not json"), 400, "bad_request"],
      [post("[1, 2]"), 422, "validation_failed"],
      [post(`{"a": "${"x".repeat(1_048_577)}"}`), 413, "payload_too_large"],
    ];
    // Past these checks a document is the engine's to judge: it answers (200) whatever it holds.
    for (const [request, status, code] of cases) {
      const res = await answerReferenceRequest(request);
      expect(res.status, code).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toMatchObject({ status, code, instance: `${REFERENCE_BASE_PATH}/recommend` });
    }
    expect((await answerReferenceRequest(post("{}"))).status).toBe(200);
  });

  it("names what it does not serve: 404 for another path, 405 with Allow for another method", async () => {
    const unknown = await answerReferenceRequest(new Request(url("/nothing")));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });
    const wrongMethod = await answerReferenceRequest(new Request(url("/recommend")));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(
      (await answerReferenceRequest(new Request(url("/health"), { method: "POST", body: "{}" }))).headers.get("allow"),
    ).toBe("GET");
  });
});
