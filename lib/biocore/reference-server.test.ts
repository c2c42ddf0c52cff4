// The worker process's loopback reference engine, over real HTTP with the pilot's own BioCore
// client: answers, the cache its Cache-Control allows, the probes, an access line per request
// naming the process, and a close that ends it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBioCoreClient } from "./client";
import { referenceVersion } from "./reference";
import { exampleRequest } from "./reference/test-requests";
import { startReferenceServer, type ReferenceServer } from "./reference-server";

describe("the loopback reference engine", () => {
  let server: ReferenceServer | null = null;
  let writes: string[];

  beforeEach(() => {
    writes = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.includes('"msg":"request"')) return (writes.push(text), true);
      return write(chunk, ...(rest as []));
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = null;
  });

  it("answers the client on 127.0.0.1 under the app's paths, its answers cached as they say", async () => {
    server = await startReferenceServer({ logFields: { process: "worker" } });
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/biocore-reference$/);
    const client = createBioCoreClient({ baseUrl: server.baseUrl, timeoutMs: 5000 });

    const first = await client.recommend(exampleRequest());
    expect(first.ok && first.cache).toBe("miss");
    expect(first.ok && first.response.response.recommendations.length).toBeGreaterThan(0);
    expect(first.call).toMatchObject({ outcome: "ok", http_status: 200, attempt_count: 1 });
    // max-age=300: the same question again is the client's cached answer.
    const again = await client.recommend(exampleRequest());
    expect(again.ok && again.cache).toBe("hit");

    const health = await client.health();
    expect(health.ok && health.value.status).toBe("ok");
    const version = await client.version();
    expect(version.ok && version.value).toEqual(referenceVersion());

    // One access line per request that reached the server, labelled as the web server labels them.
    const lines = writes.map((w) => JSON.parse(w) as Record<string, unknown>);
    expect(lines.map((l) => [l.endpoint, l.status_code, l.process])).toEqual([
      ["POST /api/biocore-reference/recommend", 200, "worker"],
      ["GET /api/biocore-reference/health", 200, "worker"],
      ["GET /api/biocore-reference/version", 200, "worker"],
    ]);
  });

  it("answers a refused request with the problem the app's route gives", async () => {
    server = await startReferenceServer();
    const res = await fetch(`${server.baseUrl}/recommend`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      code: "unsupported_media_type",
      instance: "/api/biocore-reference/recommend",
    });
  });

  it("stops listening on close", async () => {
    server = await startReferenceServer();
    const { baseUrl } = server;
    const client = createBioCoreClient({ baseUrl, timeoutMs: 2000, maxRetries: 0 });
    expect((await client.health()).ok).toBe(true);
    await server.close();
    server = null;
    const after = await client.health();
    expect(after.ok).toBe(false);
    expect(!after.ok && after.error.kind).toBe("network");
  });
});
