import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "../support/credentials";
import { adminToken, baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";
import { mapLimit } from "../support/map-limit";
import { declaredPages } from "../support/pages";
import { declaredRoutes } from "../support/routes";

const EVERYWHERE = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

describe("security headers", () => {
  it("puts a nonce CSP without unsafe-eval and the strict headers on pages", async () => {
    const res = await fetch(`${baseUrl()}/login`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    for (const [k, v] of Object.entries(EVERYWHERE)) expect(res.headers.get(k)).toBe(v);
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("x-powered-by")).toBeNull();
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await res.text();
    expect(html).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${baseUrl()}/login`);
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });

  it("puts the nonce CSP on prefetch requests too", async () => {
    // Browsers and the Next router send these; a page fetched this way is rendered and may be shown.
    const prefetches: Record<string, string>[] = [
      { Purpose: "prefetch" },
      { "Sec-Purpose": "prefetch" },
      { "Next-Router-Prefetch": "1" },
      { "Next-Router-Prefetch": "1", RSC: "1" },
    ];
    for (const headers of prefetches) {
      const res = await fetch(`${baseUrl()}/login`, { headers });
      const name = JSON.stringify(headers);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-security-policy"), name).toMatch(
        /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/,
      );
      expect(res.headers.get("content-security-policy"), name).toContain("frame-ancestors 'none'");
    }
    // The nonce in the header is the one the HTML carries.
    const res = await fetch(`${baseUrl()}/login`, { headers: { Purpose: "prefetch" } });
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(await res.text()).toContain(`nonce="${nonce}"`);
  });

  it("puts the strict headers and no-store on API answers, errors included", async () => {
    for (const path of ["/api/health", "/api/v1/audit"]) {
      const res = await call(path);
      for (const [k, v] of Object.entries(EVERYWHERE)) expect(res.headers.get(k), `${path} ${k}`).toBe(v);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-powered-by")).toBeNull();
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("gives the ingest routes the server answers itself (DIRECT_INGEST_ROUTES) the same headers as any API answer", async () => {
    const token = await adminToken();
    const origin = { Origin: "https://allowed.example", "X-Request-Id": `req-${randomUUID()}` };
    const viaNext = await call("/api/v1/me", { token, headers: origin });
    const shared = [
      "x-content-type-options",
      "x-frame-options",
      "referrer-policy",
      "permissions-policy",
      "strict-transport-security",
      "content-security-policy",
      "cache-control",
      "access-control-allow-origin",
      "access-control-expose-headers",
    ];
    for (const [path, body] of [
      ["/api/v1/mass/validate", { schema_version: "1.1" }],
      ["/api/v1/mass", { payload: {} }],
      ["/api/v1/mass/generate", {}],
      ["/api/v1/mass/batch", []],
    ] as const) {
      const res = await call(path, { token, body, headers: origin });
      expect(res.status, path).toBeGreaterThanOrEqual(200);
      for (const name of shared) expect(res.headers.get(name), `${path} ${name}`).toBe(viaNext.headers.get(name));
      expect(res.headers.get("x-request-id"), path).toBe(origin["X-Request-Id"]);
      // Next.js adds its own router and compression keys to Vary; these answers vary by origin only.
      expect(res.headers.get("vary"), path).toBe("Origin");
      expect(res.headers.get("x-powered-by"), path).toBeNull();
    }
    // Not from an allowed origin: no CORS header, as through Next.js.
    const other = await call("/api/v1/mass/validate", {
      token,
      body: {},
      headers: { Origin: "https://other.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("redirects signed-out page views to the login page", async () => {
    const res = await fetch(`${baseUrl()}/audit?x=1`, { redirect: "manual" });
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location") ?? "", baseUrl());
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe("/audit?x=1");
  });
});

describe("CORS", () => {
  it("answers a preflight only for a listed origin", async () => {
    const allowed = await fetch(`${baseUrl()}/api/v1/me`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://allowed.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://allowed.example");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("Authorization");

    const denied = await fetch(`${baseUrl()}/api/v1/me`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("adds CORS headers to API answers for a listed origin only", async () => {
    const ok = await call("/api/health", { headers: { Origin: "https://allowed.example" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://allowed.example");
    expect(ok.headers.get("vary")).toContain("Origin");
    const other = await call("/api/health", { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const page = await fetch(`${baseUrl()}/login`, { headers: { Origin: "https://allowed.example" } });
    expect(page.headers.get("access-control-allow-origin")).toBeNull();
  });
});

// Every answer the server gives — each API route's success and errors (401, 403, 404, 405, 415,
// 422, 429), pages, the 404 page, static assets, health and metrics — carries the headers, and no
// error body shows a stack trace, a file path, SQL or a Prisma message.
const EVERY_ANSWER = {
  ...EVERYWHERE,
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};
const LEAKS = [
  /\bat \S+ \(?\S+:\d+:\d+/,
  /\/work\/|node_modules|\.next\/|\.tsx?:\d+/,
  /prisma|PrismaClient|P20\d\d/i,
  /\bselect\b[\s\S]*\bfrom\b|\binsert into\b|syntax error|violates|relation "|column "|invalid input syntax/i,
  /\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/,
];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

type Probe = {
  name: string;
  url: string;
  init?: RequestInit & { headers?: Record<string, string> };
  api: boolean;
  assets?: boolean;
};

describe("security headers and error bodies on every answer", () => {
  let admin: string;
  let viewer: string;
  let session: string;
  beforeAll(async () => {
    admin = await adminToken();
    const user = await userWithRole("admin");
    viewer = (await userWithRole("viewer")).token;
    session = await sessionCookie(user.email, TEST_PASSWORD);
  });

  function apiProbes(): Probe[] {
    const routes = declaredRoutes();
    const probes: Probe[] = [];
    const withIds = (path: string, id: string) =>
      path
        .replace(/\[version\]/, id === "missing" ? "1" : id)
        .replace(/\[\w+\]/g, id === "missing" ? randomUUID() : id);
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    for (const r of routes) {
      const url = withIds(r.path, "missing");
      const json = { "Content-Type": "application/json" };
      probes.push({ name: `${r.method} ${r.path} anonymous`, url, init: { method: r.method }, api: true });
      probes.push({
        name: `${r.method} ${r.path} as admin`,
        url,
        init: { method: r.method, headers: auth(admin) },
        api: true,
      });
      probes.push({
        name: `${r.method} ${r.path} as viewer`,
        url,
        init: { method: r.method, headers: auth(viewer) },
        api: true,
      });
      if (r.path.includes("[")) {
        for (const bad of ["not-a-uuid", "%27%20or%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "9".repeat(400)]) {
          probes.push({
            name: `${r.method} ${r.path} with id ${bad.slice(0, 20)}`,
            url: withIds(r.path, bad),
            init: { method: r.method, headers: auth(admin) },
            api: true,
          });
        }
      }
      if (r.method !== "GET" && r.method !== "DELETE") {
        probes.push({
          name: `${r.method} ${r.path} malformed JSON`,
          url,
          init: { method: r.method, headers: { ...auth(admin), ...json }, body: '{"a":' },
          api: true,
        });
        probes.push({
          name: `${r.method} ${r.path} JSON of the wrong shape`,
          url,
          init: {
            method: r.method,
            headers: { ...auth(admin), ...json },
            body: '[1,"x",{"__proto__":{"admin":true}}]',
          },
          api: true,
        });
        probes.push({
          name: `${r.method} ${r.path} as text/plain`,
          url,
          init: { method: r.method, headers: { ...auth(admin), "Content-Type": "text/plain" }, body: "hello" },
          api: true,
        });
      }
    }
    for (const path of new Set(routes.map((r) => r.path))) {
      const declared = new Set(routes.filter((r) => r.path === path).map((r) => r.method));
      for (const m of METHODS.filter((m) => !declared.has(m))) {
        probes.push({
          name: `${m} ${path} (not a method of it)`,
          url: withIds(path, "missing"),
          init: { method: m, headers: auth(admin) },
          api: true,
        });
      }
    }
    probes.push({
      name: "GET /api/v1/no-such-route",
      url: "/api/v1/no-such-route",
      init: { headers: auth(admin) },
      api: true,
    });
    return probes;
  }

  async function check(p: Probe): Promise<string[]> {
    const res = await call(p.url, {
      method: p.init?.method,
      headers: { ...(p.init?.headers ?? {}) },
      body: p.init?.body as string | undefined,
    });
    const text = await res.text();
    const problems: string[] = [];
    for (const [k, v] of Object.entries(EVERY_ANSWER))
      if (res.headers.get(k) !== v) problems.push(`${k}: ${res.headers.get(k)}`);
    if (res.headers.get("x-powered-by")) problems.push("x-powered-by");
    const csp = res.headers.get("content-security-policy") ?? "";
    if (!p.assets && !csp.includes("frame-ancestors 'none'")) problems.push(`csp: ${csp}`);
    if (p.api && !csp.startsWith("default-src 'none'")) problems.push(`api csp: ${csp}`);
    // A method a route does not export is answered by the server before Next.js: problem+json
    // naming what the route allows (tests/integration/method-not-allowed.test.ts checks it all).
    if (
      res.status === 405 &&
      (res.headers.get("content-type") !== "application/problem+json" || !res.headers.get("allow"))
    )
      problems.push(`405 without problem+json and Allow: ${text.slice(0, 200)}`);
    const cacheable = p.url.startsWith("/api/biocore-reference/recommend") && res.status === 200;
    if (p.api && text !== "" && !cacheable && !/\bno-store\b/.test(res.headers.get("cache-control") ?? ""))
      problems.push(`cache-control: ${res.headers.get("cache-control")}`);
    if (res.status >= 400)
      for (const leak of LEAKS) if (leak.test(text)) problems.push(`body ${leak}: ${text.slice(0, 200)}`);
    if (res.status >= 500) problems.push(`status ${res.status}: ${text.slice(0, 200)}`);
    return problems.map((x) => `${p.name} → ${res.status} ${x}`);
  }

  it("on every API route's answers: success, 401, 403, 404, 405, 415, 422", async () => {
    const probes = apiProbes();
    const failures = (await mapLimit(probes, 8, check)).flat();
    expect(failures).toEqual([]);
  });

  it("on a 429 answer", async () => {
    const email = `nobody-${randomUUID()}@pilot.test`;
    let last: Response | null = null;
    for (let i = 0; i < 8 && last?.status !== 429; i++)
      last = await call("/api/v1/auth/token", {
        body: { email, password: "wrong-password-123" },
        ip: "10.254.254.254",
      });
    expect(last?.status).toBe(429);
    expect(
      await check({
        name: "429",
        url: "/api/v1/auth/token",
        init: {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Forwarded-For": "10.254.254.254" },
          body: JSON.stringify({ email, password: "x" }),
        },
        api: true,
      }),
    ).toEqual([]);
  });

  it("on /api/health, /api/metrics, every page, the 404 page and static assets", async () => {
    const login = await (await fetch(`${baseUrl()}/login`)).text();
    const assets = [...new Set([...login.matchAll(/\/_next\/static\/[^"'\s]+\.(?:js|css)/g)].map((m) => m[0]))].slice(
      0,
      3,
    );
    expect(assets.length).toBeGreaterThan(0);
    const pages = declaredPages().map((p) => p.replace(/\[version\]/, "1").replace(/\[\w+\]/g, randomUUID()));
    const probes: Probe[] = [
      { name: "health", url: "/api/health", api: true },
      // next-auth's own endpoints (not API routes of ours: no problem+json, its own caching).
      ...["/api/auth/csrf", "/api/auth/session", "/api/auth/providers", "/api/auth/no-such-action"].map((url) => ({
        name: `next-auth ${url}`,
        url,
        api: false,
      })),
      {
        name: "next-auth sign-in without a CSRF token",
        url: "/api/auth/callback/credentials",
        init: {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "email=x&password=y",
        },
        api: false,
      },
      { name: "metrics", url: "/api/metrics", api: true },
      ...pages.map((url) => ({ name: `page ${url}`, url, init: { headers: { Cookie: session } }, api: false })),
      ...pages.map((url) => ({ name: `page ${url} signed out`, url, api: false })),
      { name: "404 page", url: "/no-such-page", init: { headers: { Cookie: session } }, api: false },
      {
        name: "docs asset",
        url: "/docs/assets/swagger-ui-bundle.js",
        init: { headers: { Cookie: session } },
        api: false,
        assets: true,
      },
      {
        name: "unknown docs asset",
        url: "/docs/assets/..%2F..%2Fpackage.json",
        init: { headers: { Cookie: session } },
        api: false,
        assets: true,
      },
      ...assets.map((url) => ({ name: `static ${url}`, url, api: false, assets: true })),
      { name: "missing static asset", url: "/_next/static/chunks/no-such-chunk.js", api: false, assets: true },
    ];
    const failures = (await mapLimit(probes, 6, check)).flat();
    expect(failures).toEqual([]);
  });
});
