// An export by GET writes an audit event in the caller's name: with the session cookie, a link or
// image on another site must not trigger one. Cross-site requests are refused before anything is
// exported or audited; same-origin ones and typed URLs work; Bearer tokens are unaffected.
import { beforeAll, describe, expect, it } from "vitest";
import { declaredRoutes } from "../support/routes";
import { sessionCookie } from "../support/credentials";
import { adminToken, call, expectProblem, TEST_PASSWORD, userWithRole } from "../support/http";

const EXPORTS = declaredRoutes()
  .filter((r) => /\/(export\.(csv|pdf)|report\.pdf)$/.test(r.path))
  .map((r) => r.path.replace(/\[\w+\]/g, "00000000-0000-4000-8000-000000000000"));

describe("exports with the session cookie", () => {
  let email: string;
  let cookie: string;
  let jwt: string;
  beforeAll(async () => {
    const user = await userWithRole("admin");
    email = user.email;
    jwt = user.token;
    cookie = await sessionCookie(email, TEST_PASSWORD);
  });

  /** Audit events this user is the actor of. */
  async function eventsByUser(): Promise<number> {
    const res = await call(`/api/v1/audit?actor=${encodeURIComponent(email)}&limit=500`, { token: await adminToken() });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: unknown[] }).items.length;
  }

  it("refuses a cross-site request on every export route with 403 problem+json and no audit event", async () => {
    expect(EXPORTS.length).toBeGreaterThanOrEqual(9);
    const before = await eventsByUser();
    for (const path of EXPORTS) {
      const res = await call(path, { headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site" } });
      expect(res.status, path).toBe(403);
      expectProblem(res);
    }
    // Without Fetch Metadata, an Origin or Referer of another site decides.
    const origin = await call("/api/v1/audit/export.csv", {
      headers: { Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(origin.status).toBe(403);
    const referer = await call("/api/v1/kpi/export.csv", {
      headers: { Cookie: cookie, Referer: "https://evil.example/page" },
    });
    expect(referer.status).toBe(403);
    expect(await eventsByUser()).toBe(before);
  });

  it("serves same-origin requests and typed URLs, and audits them", async () => {
    const before = await eventsByUser();
    for (const site of ["same-origin", "none"]) {
      const res = await call("/api/v1/audit/export.csv", { headers: { Cookie: cookie, "Sec-Fetch-Site": site } });
      expect(res.status, site).toBe(200);
      await res.arrayBuffer();
    }
    const plain = await call("/api/v1/kpi/export.csv", { headers: { Cookie: cookie } });
    expect(plain.status).toBe(200);
    await plain.arrayBuffer();
    expect(await eventsByUser()).toBe(before + 3);
  });

  it("leaves Bearer tokens unaffected", async () => {
    const res = await call("/api/v1/audit/export.csv", {
      token: jwt,
      headers: { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});
