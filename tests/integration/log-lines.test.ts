// The production server's stdout, as a log collector reads it: a server (and its worker process)
// started as in a deployment writes nothing but JSON log lines, Next.js's own console output
// included; and every request the server answers — probes, metrics, next-auth, unknown API paths,
// pages, static files, routes behind the API wrapper and the ingest routes answered directly —
// writes exactly one access line labelled by its route template and adds one latency sample.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { freshIp } from "../support/http";

type Line = Record<string, unknown>;

describe("log lines of the production server", () => {
  let app: AppServer;
  const metricsToken = randomBytes(24).toString("hex");

  beforeAll(async () => {
    app = await startAppServer({ WORKER_MODE: "process", LOG_LEVEL: "debug", METRICS_TOKEN: metricsToken });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
  });

  /** The lines that are JSON objects (the first test requires that to be all of them). */
  const parsed = (): Line[] =>
    app.stdout.flatMap((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? [v as Line] : [];
      } catch {
        return [];
      }
    });

  async function until<T>(
    what: string,
    probe: () => T | null | undefined | Promise<T | null | undefined>,
    timeoutMs = 10_000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
    return fetch(`${app.baseUrl}${path}`, {
      redirect: "manual",
      ...init,
      headers: { "X-Forwarded-For": freshIp(), ...headers },
    });
  }

  /** Sample counts of the request-duration histogram by route label (all methods and statuses). */
  async function samplesByRoute(): Promise<Map<string, number>> {
    const text = await (await get("/api/metrics", { Authorization: `Bearer ${metricsToken}` })).text();
    const counts = new Map<string, number>();
    for (const line of text.split("\n")) {
      const m = /^pib_http_server_request_duration_seconds_count\{([^}]*)\} (\d+)/.exec(line);
      const route = m && /(?:^|,)route="([^"]*)"/.exec(m[1]!)?.[1];
      if (m && route !== undefined && route !== null) counts.set(route, (counts.get(route) ?? 0) + Number(m[2]));
    }
    return counts;
  }

  /** The access lines of one request, once it has been answered (the line follows the answer). */
  async function accessLines(requestId: string): Promise<Line[]> {
    const of = () => parsed().filter((l) => l.msg === "request" && l.request_id === requestId);
    await until(`the access line of ${requestId}`, () => of().length > 0 || null);
    // A second line, were there one, would come right after the first.
    await new Promise((r) => setTimeout(r, 300));
    return of();
  }

  it("writes only JSON log lines on stdout, from the start on, Next.js's own console output and the worker's included", async () => {
    // Next.js reports an unknown server action on the console (before: bare text lines on stderr).
    const action = await get(
      "/login",
      { "Next-Action": "0123456789abcdef0123456789abcdef01234567", "Content-Type": "text/plain" },
      { method: "POST", body: "[]" },
    );
    expect(action.status).toBeGreaterThanOrEqual(400);
    await get("/login");
    await get("/api/health");
    await until("the worker's start line", () => parsed().find((l) => l.msg === "worker started"));
    await new Promise((r) => setTimeout(r, 500));

    expect(app.stdout.length).toBeGreaterThan(0);
    const notJson = app.stdout.filter((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v !== "object" || v === null || Array.isArray(v);
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    for (const line of parsed()) {
      expect(line, JSON.stringify(line)).toMatchObject({
        level: expect.stringMatching(/^(debug|info|warn|error)$/),
        msg: expect.any(String),
        service: "pilot-in-a-box",
      });
      expect(Date.parse(String(line.timestamp)), JSON.stringify(line)).not.toBeNaN();
      expect(line, JSON.stringify(line)).toHaveProperty("trace_id");
      expect(line, JSON.stringify(line)).toHaveProperty("span_id");
      expect(line.msg, JSON.stringify(line)).not.toMatch(/\u001b\[/);
    }
    // Next.js's report of the unknown action is one line, a warning or an error.
    await until("Next.js's report of the unknown action", () =>
      parsed().find((l) => l.source === "console" && (l.level === "warn" || l.level === "error")),
    );
    // Next.js's start-up line (a bare "✓ Running next.config.ts took …" before) is a log line too.
    expect(parsed().some((l) => l.source === "console" && String(l.msg).includes("next.config"))).toBe(true);
    // The worker's lines use the same schema and say which process wrote them.
    expect(parsed().find((l) => l.msg === "worker started")).toMatchObject({ process: "worker", trace_id: null });
  });

  it("writes one access line and one latency sample for every request: probes, metrics, next-auth, an unknown API path, a page", async () => {
    const cases: { path: string; headers?: Record<string, string>; route: string; status: number }[] = [
      { path: "/api/health", route: "/api/health", status: 200 },
      { path: "/api/ready", route: "/api/ready", status: 200 },
      {
        path: "/api/metrics",
        headers: { Authorization: `Bearer ${metricsToken}` },
        route: "/api/metrics",
        status: 200,
      },
      { path: "/api/auth/session", route: "/api/auth/*", status: 200 },
      { path: `/api/v1/whatever-${randomBytes(4).toString("hex")}`, route: "(unmatched)", status: 404 },
      { path: "/login", route: "/login", status: 200 },
      // Behind the API wrapper, and answered directly without Next.js: one line each all the same.
      { path: "/api/v1/me", route: "/api/v1/me", status: 401 },
    ];
    for (const c of cases) {
      const before = (await samplesByRoute()).get(c.route) ?? 0;
      const requestId = `access-${randomBytes(6).toString("hex")}`;
      const res = await get(c.path, { ...c.headers, "X-Request-Id": requestId });
      expect(res.status, c.path).toBe(c.status);
      await res.arrayBuffer();
      const lines = await accessLines(requestId);
      expect(lines, c.path).toHaveLength(1);
      expect(lines[0], c.path).toMatchObject({
        level: "info",
        method: "GET",
        route: c.route,
        endpoint: `GET ${c.route}`,
        status_code: c.status,
      });
      expect(typeof lines[0]!.latency_ms, c.path).toBe("number");
      expect(lines[0]!.trace_id, c.path).toMatch(/^[0-9a-f]{32}$/);
      expect(lines[0]!.span_id, c.path).toMatch(/^[0-9a-f]{16}$/);
      // /api/metrics counts its own scrapes too: at least one more sample for the route.
      await until(
        `a latency sample for ${c.route}`,
        async () => ((await samplesByRoute()).get(c.route) ?? 0) >= before + 1 || null,
      );
      if (c.route !== "/api/metrics") expect((await samplesByRoute()).get(c.route), c.path).toBe(before + 1);
    }
  });

  it("names who asked in the access line of a route behind the API wrapper", async () => {
    const signIn = await get(
      "/api/v1/auth/token",
      { "Content-Type": "application/json" },
      { method: "POST", body: JSON.stringify({ email: app.adminEmail, password: app.adminPassword }) },
    );
    expect(signIn.status).toBe(200);
    const { access_token } = (await signIn.json()) as { access_token: string };
    const requestId = `me-${randomBytes(6).toString("hex")}`;
    expect(
      (await get("/api/v1/me", { Authorization: `Bearer ${access_token}`, "X-Request-Id": requestId })).status,
    ).toBe(200);
    const lines = await accessLines(requestId);
    expect(lines).toMatchObject([{ route: "/api/v1/me", status_code: 200, user_id: expect.stringMatching(/^user:/) }]);
    expect(JSON.stringify(lines)).not.toContain(access_token);
  });

  it("writes one access line for an ingest route answered directly, and for a refused method", async () => {
    const direct = `direct-${randomBytes(6).toString("hex")}`;
    const res = await get(
      "/api/v1/mass/validate",
      { "Content-Type": "application/json", "X-Request-Id": direct },
      { method: "POST", body: "{}" },
    );
    expect(res.status).toBe(401);
    expect(await accessLines(direct)).toMatchObject([
      { method: "POST", route: "/api/v1/mass/validate", status_code: 401 },
    ]);

    const refused = `refused-${randomBytes(6).toString("hex")}`;
    expect((await get("/api/health", { "X-Request-Id": refused }, { method: "DELETE" })).status).toBe(405);
    expect(await accessLines(refused)).toMatchObject([{ method: "DELETE", route: "/api/health", status_code: 405 }]);
  });

  it("labels every path no route serves alike, in the access line and the metric, and logs no query value", async () => {
    const made = [
      `/api/v1/whatever-${randomBytes(4).toString("hex")}`,
      `/api/v1/${randomBytes(4).toString("hex")}/else`,
      `/fonts/${randomBytes(4).toString("hex")}.woff2`,
    ];
    const before = (await samplesByRoute()).get("(unmatched)") ?? 0;
    const secret = `s3cret-${randomBytes(6).toString("hex")}`;
    for (const path of made) {
      const requestId = `unmatched-${randomBytes(6).toString("hex")}`;
      const res = await get(`${path}?access_token=${secret}`, { "X-Request-Id": requestId });
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
      expect(await accessLines(requestId), path).toMatchObject([
        { route: "(unmatched)", endpoint: "GET (unmatched)", status_code: 404 },
      ]);
    }
    await until(
      "the samples of the unknown paths",
      async () => ((await samplesByRoute()).get("(unmatched)") ?? 0) >= before + made.length || null,
    );
    const text = await (await get("/api/metrics", { Authorization: `Bearer ${metricsToken}` })).text();
    for (const path of made) {
      expect(text).not.toContain(path.split("/").pop());
      expect(app.stdout.join("\n")).not.toContain(path.split("/").pop());
    }
    expect(app.stdout.join("\n")).not.toContain(secret);
  });

  it("logs a static file's access line at debug level, under one label", async () => {
    const html = await (await get("/login")).text();
    const asset = /\/_next\/static\/[^"'\s?]+\.(?:js|css)/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const requestId = `static-${randomBytes(6).toString("hex")}`;
    const res = await get(asset!, { "X-Request-Id": requestId });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(await accessLines(requestId)).toMatchObject([
      { level: "debug", route: "/_next/static/*", status_code: 200 },
    ]);
  });
});
