// Every route refuses a method it does not export, and TRACE, with 405 problem+json naming what
// it allows and the headers every answer carries (Next.js alone answers TRACE with a bare 500 and
// an unexported method with an empty 405). fetch() refuses to send TRACE, so this speaks node:http.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { allowedMethods } from "@/lib/http/method-gate";
import { ROUTE_MANIFEST } from "@/lib/http/route-methods.generated";
import { baseUrl, freshIp } from "../support/http";
import { mapLimit } from "../support/map-limit";

const EVERY_ANSWER = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "cache-control": "no-store",
};

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function send(method: string, path: string): Promise<Answer> {
  const url = new URL(path, baseUrl());
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "X-Forwarded-For": freshIp() } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** What is wrong with a 405 answer (empty when nothing). */
function problemsOf(name: string, a: Answer, allow: string[], method: string, path: string): string[] {
  const problems: string[] = [];
  if (a.status !== 405) problems.push(`status ${a.status}`);
  if (a.headers["content-type"] !== "application/problem+json")
    problems.push(`content-type ${String(a.headers["content-type"])}`);
  if (a.headers.allow !== allow.join(", ")) problems.push(`allow ${String(a.headers.allow)} ≠ ${allow.join(", ")}`);
  for (const [k, v] of Object.entries(EVERY_ANSWER))
    if (a.headers[k] !== v) problems.push(`${k}: ${String(a.headers[k])}`);
  if (!String(a.headers["content-security-policy"] ?? "").startsWith("default-src 'none'"))
    problems.push(`csp ${String(a.headers["content-security-policy"])}`);
  if (method !== "HEAD") {
    try {
      const body = JSON.parse(a.body) as { status?: number; code?: string; instance?: string };
      if (
        body.status !== 405 ||
        body.code !== "method_not_allowed" ||
        body.instance !== new URL(path, "http://x").pathname
      )
        problems.push(`body ${a.body}`);
    } catch {
      problems.push(`body not JSON: ${a.body.slice(0, 100)}`);
    }
  }
  return problems.map((p) => `${name} → ${p}`);
}

const concrete = (pattern: string) =>
  pattern
    .replace(/\[\.\.\.\w+\]/, "session")
    .replace(/\[version\]/, "1")
    .replace(/\[file\]/, "swagger-ui-bundle.js")
    .replace(/\[\w+\]/g, "00000000-0000-4000-8000-000000000000");

describe("methods a route does not answer", () => {
  it("every route: an unexported method and TRACE → 405 problem+json with Allow and the security headers", async () => {
    const probes = ROUTE_MANIFEST.flatMap((route) => {
      const other = ["PUT", "PATCH", "DELETE", "POST", "GET"].find((m) => !route.methods.includes(m as never))!;
      return [other, "TRACE"].map((method) => ({
        method,
        path: concrete(route.path),
        allow: allowedMethods(route.methods),
      }));
    });
    expect(probes.length).toBeGreaterThan(80);
    const failures = (
      await mapLimit(probes, 6, async (p) =>
        problemsOf(`${p.method} ${p.path}`, await send(p.method, p.path), p.allow, p.method, p.path),
      )
    ).flat();
    expect(failures).toEqual([]);
  });

  it("HEAD where a route has no GET, and methods the parser knows but no route answers", async () => {
    const failures = [
      ...problemsOf(
        "HEAD token",
        await send("HEAD", "/api/v1/auth/token"),
        ["OPTIONS", "POST"],
        "HEAD",
        "/api/v1/auth/token",
      ),
      ...problemsOf(
        "PROPFIND me",
        await send("PROPFIND", "/api/v1/me"),
        ["GET", "HEAD", "OPTIONS"],
        "PROPFIND",
        "/api/v1/me",
      ),
    ];
    expect(failures).toEqual([]);
  });

  // Node.js's parser refuses a method it does not know before there is a request (so no path and
  // no Allow): 400 problem+json, still with the security headers.
  it("TRACK and invented methods → 400 problem+json with the security headers", async () => {
    for (const method of ["TRACK", "FOO"]) {
      const a = await send(method, "/api/v1/me");
      expect(a.status, method).toBe(400);
      expect(a.headers["content-type"]).toBe("application/problem+json");
      for (const [k, v] of Object.entries(EVERY_ANSWER)) expect(a.headers[k], `${method} ${k}`).toBe(v);
      expect((JSON.parse(a.body) as { code: string }).code).toBe("bad_request");
    }
  });

  it("CONNECT → 405 problem+json", async () => {
    const url = new URL(baseUrl());
    const answer = await new Promise<{ status: number; type: string | undefined; allow: string | undefined }>(
      (resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method: "CONNECT", path: "example.com:443" });
        req.on("connect", (res, socket) => {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], allow: res.headers.allow });
        });
        req.on("response", (res) =>
          resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], allow: res.headers.allow }),
        );
        req.on("error", reject);
        req.end();
      },
    );
    expect(answer).toEqual({ status: 405, type: "application/problem+json", allow: "GET, HEAD, POST" });
  });

  it("pages, static files and unknown paths answer GET, HEAD and POST only", async () => {
    const failures: string[] = [];
    for (const path of ["/", "/login", "/admin/tokens?x=1", "/no-such-page", "/_next/static/chunks/x.js"]) {
      for (const method of ["TRACE", "PUT", "DELETE"])
        failures.push(
          ...problemsOf(`${method} ${path}`, await send(method, path), ["GET", "HEAD", "POST"], method, path),
        );
    }
    expect(failures).toEqual([]);
  });

  it("still answers the methods a route exports, and CORS preflights", async () => {
    expect((await send("GET", "/api/health")).status).toBe(200);
    expect((await send("HEAD", "/api/health")).status).toBe(200);
    expect((await send("GET", "/login")).status).toBe(200);
    const options = await send("OPTIONS", "/api/v1/tokens");
    expect(options.status).toBe(204);
  });
});
