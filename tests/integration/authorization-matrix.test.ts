// Every API route × every kind of caller → the status it must get. A route file that is not in
// the matrix fails the test, so each new route has to declare who may call it.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "../support/credentials";
import { adminToken, apiTokenWithRole, baseUrl, call, TEST_PASSWORD, userWithRole } from "../support/http";
import { mapLimit } from "../support/map-limit";
import { declaredPages } from "../support/pages";
import { declaredRoutes } from "../support/routes";

type Caller = "anonymous" | "viewer" | "analyst" | "admin" | "otherTenantToken";
type Row = { method: string; path: string; body?: unknown; expect: Record<Caller, number> };

const ANY = { anonymous: 200, viewer: 200, analyst: 200, admin: 200, otherTenantToken: 200 };
const ADMIN_ONLY = (admin: number, scoped = 403) => ({
  anonymous: 401,
  viewer: 403,
  analyst: 403,
  admin,
  otherTenantToken: scoped,
});
const INGEST = (status: number) => ({
  anonymous: 401,
  viewer: 403,
  analyst: status,
  admin: status,
  otherTenantToken: status,
});
const SIGNED_IN = (status: number) => ({
  anonymous: 401,
  viewer: status,
  analyst: status,
  admin: status,
  otherTenantToken: status,
});

const MISSING = randomUUID();
// Bodies that pass authorization but fail validation, so nothing is created by the sweep.
const MATRIX: Row[] = [
  { method: "GET", path: "/api/health", expect: ANY },
  { method: "GET", path: "/api/ready", expect: ANY },
  // The test server has no METRICS_TOKEN: metrics are off (tests/integration/observability.test.ts turns them on).
  {
    method: "GET",
    path: "/api/metrics",
    expect: { anonymous: 404, viewer: 404, analyst: 404, admin: 404, otherTenantToken: 404 },
  },
  {
    method: "POST",
    path: "/api/v1/auth/token",
    body: {},
    expect: { anonymous: 422, viewer: 422, analyst: 422, admin: 422, otherTenantToken: 422 },
  },
  { method: "GET", path: "/api/v1/me", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/openapi.json", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/audit", expect: ADMIN_ONLY(200, 200) },
  { method: "GET", path: "/api/v1/audit/verify", expect: ADMIN_ONLY(200) },
  { method: "POST", path: "/api/v1/audit/verify", body: {}, expect: ADMIN_ONLY(422) },
  { method: "GET", path: "/api/v1/audit/checkpoint", expect: ADMIN_ONLY(200) },
  { method: "GET", path: "/api/v1/audit/export.csv", expect: ADMIN_ONLY(200, 200) },
  { method: "GET", path: "/api/v1/audit/export.pdf", expect: ADMIN_ONLY(200, 200) },
  { method: "GET", path: "/api/v1/users", expect: ADMIN_ONLY(200) },
  { method: "POST", path: "/api/v1/users", body: {}, expect: ADMIN_ONLY(422) },
  { method: "PATCH", path: `/api/v1/users/${MISSING}`, body: { role: "viewer" }, expect: ADMIN_ONLY(404) },
  { method: "GET", path: "/api/v1/tokens", expect: ADMIN_ONLY(200) },
  { method: "POST", path: "/api/v1/tokens", body: {}, expect: ADMIN_ONLY(422) },
  { method: "DELETE", path: `/api/v1/tokens/${MISSING}`, expect: ADMIN_ONLY(404) },
  { method: "POST", path: "/api/v1/mass/generate", body: {}, expect: INGEST(422) },
  { method: "POST", path: "/api/v1/mass", body: {}, expect: INGEST(422) },
  { method: "POST", path: "/api/v1/mass/validate", body: {}, expect: INGEST(422) },
  { method: "POST", path: "/api/v1/mass/batch", body: {}, expect: INGEST(422) },
  { method: "GET", path: "/api/v1/mass", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/datasets", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/kpi", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/kpi/trends", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/kpi/compare", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/kpi/export.csv", expect: INGEST(200) },
  { method: "GET", path: "/api/v1/kpi/report.pdf", expect: INGEST(200) },
  { method: "GET", path: "/api/v1/observations", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/observations/export.csv", expect: INGEST(200) },
  { method: "POST", path: "/api/v1/datasets", body: {}, expect: INGEST(415) },
  { method: "POST", path: "/api/v1/datasets/preview", body: {}, expect: INGEST(415) },
  { method: "GET", path: `/api/v1/datasets/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "GET", path: `/api/v1/datasets/${MISSING}/versions/1`, expect: SIGNED_IN(404) },
  { method: "GET", path: "/api/v1/recommendations", expect: SIGNED_IN(200) },
  { method: "GET", path: `/api/v1/recommendations/${MISSING}`, expect: SIGNED_IN(404) },
  {
    method: "PATCH",
    path: `/api/v1/recommendations/${MISSING}`,
    body: { status: "acknowledged" },
    expect: INGEST(404),
  },
  { method: "GET", path: `/api/v1/recommendations/${MISSING}/implementation`, expect: SIGNED_IN(404) },
  {
    method: "POST",
    path: `/api/v1/recommendations/${MISSING}/implementation`,
    body: { outcome: "rejected", reason: "x" },
    expect: INGEST(404),
  },
  { method: "POST", path: `/api/v1/recommendations/${MISSING}/verification`, expect: INGEST(404) },
  { method: "GET", path: "/api/v1/scorecard", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/scorecard/export.csv", expect: INGEST(200) },
  { method: "GET", path: "/api/v1/scorecard/report.pdf", expect: INGEST(200) },
  { method: "POST", path: `/api/v1/mass/${MISSING}/recommend`, expect: INGEST(404) },
  { method: "POST", path: "/api/v1/recommendations/ask", body: {}, expect: INGEST(422) },
  { method: "GET", path: "/api/v1/biocore/status", expect: SIGNED_IN(200) },
  { method: "POST", path: "/api/v1/biocore/jobs/retry-failed", expect: INGEST(200) },
  { method: "POST", path: "/api/biocore-reference/recommend", body: {}, expect: ANY },
  { method: "GET", path: "/api/biocore-reference/health", expect: ANY },
  { method: "GET", path: "/api/biocore-reference/version", expect: ANY },
  { method: "GET", path: "/api/v1/mv/studies", expect: SIGNED_IN(200) },
  { method: "POST", path: "/api/v1/mv/studies", body: {}, expect: INGEST(422) },
  { method: "GET", path: `/api/v1/mv/studies/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "POST", path: `/api/v1/mv/studies/${MISSING}/revisions`, body: {}, expect: INGEST(422) },
  { method: "POST", path: `/api/v1/mv/studies/${MISSING}/runs`, body: {}, expect: INGEST(404) },
  { method: "GET", path: `/api/v1/mv/reports/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "GET", path: `/api/v1/mv/reports/${MISSING}/report.pdf`, expect: INGEST(404) },
  { method: "GET", path: `/api/v1/mv/reports/${MISSING}/export.csv`, expect: INGEST(404) },
  { method: "GET", path: `/api/v1/mass/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "GET", path: `/api/v1/mass/${MISSING}/events`, expect: SIGNED_IN(404) },
  { method: "PATCH", path: `/api/v1/mass/${MISSING}/status`, body: { status: "processing" }, expect: INGEST(404) },
  {
    method: "DELETE",
    path: `/api/v1/mass/${MISSING}`,
    expect: { anonymous: 401, viewer: 403, analyst: 403, admin: 404, otherTenantToken: 404 },
  },
];

function declaredRouteKeys(): string[] {
  return declaredRoutes()
    .map((r) => `${r.method} ${r.path.replace(/\[(\w+)\]/g, ":$1")}`)
    .sort();
}

describe("authorization matrix", () => {
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    tokens.viewer = (await userWithRole("viewer")).token;
    tokens.analyst = (await userWithRole("analyst")).token;
    tokens.admin = await adminToken();
    tokens.otherTenantToken = (await apiTokenWithRole("admin", ["tenant-other"])).secret;
  });

  it("covers every API route in the code base", () => {
    const covered = MATRIX.map(
      (r) => `${r.method} ${r.path.replace(MISSING, ":id").replace(/\/versions\/\d+$/, "/versions/:version")}`,
    ).sort();
    expect([...new Set(covered)]).toEqual(declaredRouteKeys());
  });

  for (const row of MATRIX) {
    for (const caller of Object.keys(row.expect) as Caller[]) {
      it(`${row.method} ${row.path.replace(MISSING, ":id")} as ${caller} → ${row.expect[caller]}`, async () => {
        const res = await call(row.path, { method: row.method, token: tokens[caller], body: row.body });
        expect(res.status).toBe(row.expect[caller]);
        if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      });
    }
  }

  it("shows a tenant-scoped principal only its tenants' audit events", async () => {
    const res = await call("/api/v1/audit?limit=500", { token: tokens.otherTenantToken });
    const body = (await res.json()) as { items: { tenant_id: string | null }[] };
    expect(body.items.every((e) => e.tenant_id === "tenant-other")).toBe(true);
  });
});

// Every page × every kind of signed-in user (and nobody) → the status of the page's answer, with
// unknown ids for the pages that take one. A page file that is not in the matrix fails the test.
type PageCaller = "anonymous" | "viewer" | "analyst" | "admin" | "tenantAdmin";
const PAGE = (viewer: number, analyst = viewer, admin = analyst, tenantAdmin = admin) => ({
  anonymous: 307,
  viewer,
  analyst,
  admin,
  tenantAdmin,
});
const PAGE_MATRIX: Record<string, Record<PageCaller, number>> = {
  "/": PAGE(200),
  "/admin/tokens": PAGE(403, 403, 200, 403),
  "/admin/users": PAGE(403, 403, 200, 403),
  "/audit": PAGE(403, 403, 200, 200),
  "/before-after": PAGE(200),
  "/datasets": PAGE(200),
  "/datasets/[id]/versions/[version]": PAGE(404),
  "/datasets/import": PAGE(403, 200),
  "/docs": PAGE(200),
  // A signed-in user is sent on from the login page.
  "/login": { anonymous: 200, viewer: 307, analyst: 307, admin: 307, tenantAdmin: 307 },
  "/logout": PAGE(200),
  "/mv": PAGE(200),
  "/mv/new": PAGE(403, 200),
  "/mv/reports/[id]": PAGE(404),
  "/mv/studies/[id]": PAGE(404),
  "/observations": PAGE(200),
  "/recommendations": PAGE(200),
  "/recommendations/[id]": PAGE(404),
  "/requests": PAGE(200),
  "/requests/[id]": PAGE(404),
  "/scorecard": PAGE(200),
};

describe("page authorization matrix", () => {
  const cookies: Partial<Record<PageCaller, string>> = {};

  beforeAll(async () => {
    const users = {
      viewer: await userWithRole("viewer"),
      analyst: await userWithRole("analyst"),
      admin: await userWithRole("admin"),
      tenantAdmin: await userWithRole("admin", ["tenant-other"]),
    };
    for (const [caller, user] of Object.entries(users))
      cookies[caller as PageCaller] = await sessionCookie(user.email, TEST_PASSWORD);
  });

  it("covers every page in the code base", () => {
    expect(Object.keys(PAGE_MATRIX).sort()).toEqual(declaredPages());
  });

  it("answers every page to every caller as the matrix says", async () => {
    const cases = Object.entries(PAGE_MATRIX).flatMap(([page, expected]) =>
      (Object.keys(expected) as PageCaller[]).map((caller) => ({ page, caller, expected: expected[caller] })),
    );
    const results = await mapLimit(cases, 6, async ({ page, caller }) => {
      const url = page.replace(/\[version\]/, "1").replace(/\[\w+\]/g, MISSING);
      const res = await fetch(`${baseUrl()}${url}`, {
        headers: cookies[caller] ? { Cookie: cookies[caller] } : {},
        redirect: "manual",
      });
      await res.arrayBuffer();
      return `${page} as ${caller} → ${res.status}`;
    });
    expect(results).toEqual(cases.map((c) => `${c.page} as ${c.caller} → ${c.expected}`));
  });
});
