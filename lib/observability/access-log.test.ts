import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { routeTemplate, STATIC_ASSET_ROUTE } from "@/lib/http/method-gate";
import { accessNotes, noteAccess, recordAccess, type Access, type AccessNote } from "./access-log";
import { metrics } from "./metrics";

describe("access lines and latency samples", () => {
  let writes: string[];

  beforeEach(() => {
    writes = [];
    vi.spyOn(process.stdout, "write").mockImplementation(
      (chunk: string | Uint8Array) => (writes.push(String(chunk)), true),
    );
  });

  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.LOG_LEVEL;
  });

  /** As the server does (lib/http/server-request.ts): the route template of the path, quiet for build files. */
  function access(a: Omit<Access, "route" | "quiet"> & { pathname: string }): void {
    const { pathname, ...rest } = a;
    const route = routeTemplate(pathname);
    recordAccess({ ...rest, route, quiet: route === STATIC_ASSET_ROUTE });
  }

  async function count(route: string, status: string): Promise<number> {
    const { values } = await metrics().httpDuration.get();
    return values
      .filter((v) => v.metricName?.endsWith("_count") && v.labels.route === route && v.labels.status === status)
      .reduce((n, v) => n + v.value, 0);
  }

  it("labels the line and the sample by route template, never by the path sent", async () => {
    const before = await count("(unmatched)", "404");
    access({ method: "GET", pathname: "/api/v1/x-0b1c", status: 404, seconds: 0.0123, requestId: "r-1", userId: null });
    access({
      method: "GET",
      pathname: "/wp-admin/y-9f8e",
      status: 404,
      seconds: 0.001,
      requestId: "r-2",
      userId: null,
    });
    expect(await count("(unmatched)", "404")).toBe(before + 2);
    const lines = writes.map((w) => JSON.parse(w) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request",
      request_id: "r-1",
      user_id: null,
      method: "GET",
      route: "(unmatched)",
      endpoint: "GET (unmatched)",
      status_code: 404,
      latency_ms: 12.3,
    });
    expect(writes.join("")).not.toMatch(/0b1c|9f8e/);
    expect(lines[0]).not.toHaveProperty("aborted");
  });

  it("logs Next.js's build files at debug level, still with a sample", async () => {
    const before = await count("/_next/static/*", "200");
    access({
      method: "GET",
      pathname: "/_next/static/chunks/abc.js",
      status: 200,
      seconds: 0.001,
      requestId: "r-3",
      userId: null,
    });
    expect(writes).toEqual([]);
    expect(await count("/_next/static/*", "200")).toBe(before + 1);
    process.env.LOG_LEVEL = "debug";
    access({
      method: "GET",
      pathname: "/_next/static/chunks/abc.js",
      status: 200,
      seconds: 0.001,
      requestId: "r-4",
      userId: null,
      aborted: true,
    });
    expect(JSON.parse(writes[0]!)).toMatchObject({ level: "debug", route: "/_next/static/*", aborted: true });
  });

  it("labels a method Node.js would not parse as OTHER", async () => {
    access({ method: "BREW", pathname: "/api/health", status: 405, seconds: 0.001, requestId: "r-5", userId: null });
    expect(JSON.parse(writes[0]!)).toMatchObject({ method: "OTHER", route: "/api/health" });
  });

  it("carries who asked from the app to the server's line through the request's note", async () => {
    const note: AccessNote = { userId: null };
    await accessNotes().run(note, async () => {
      await new Promise((r) => setTimeout(r, 1));
      noteAccess({ userId: "user:42" });
    });
    expect(note.userId).toBe("user:42");
    // Outside a request there is no note, and nothing to add to.
    expect(() => noteAccess({ userId: "user:1" })).not.toThrow();
  });
});
