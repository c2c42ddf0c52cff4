import { describe, expect, it } from "vitest";
import { baseUrl, call } from "../support/http";

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
      headers: { Origin: "https://allowed.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
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
