// Every API route × every kind of caller → the status it must get. A route file that is not in
// the matrix fails the test, so each new route has to declare who may call it.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, apiTokenWithRole, call, userWithRole } from "../support/http";
import { declaredRoutes } from "../support/routes";

type Caller = "anonymous" | "viewer" | "analyst" | "admin" | "otherTenantToken";
type Row = { method: string; path: string; body?: unknown; expect: Record<Caller, number> };

const ANY = { anonymous: 200, viewer: 200, analyst: 200, admin: 200, otherTenantToken: 200 };
const ADMIN_ONLY = (admin: number, scoped = 403) => ({ anonymous: 401, viewer: 403, analyst: 403, admin, otherTenantToken: scoped });
const INGEST = (status: number) => ({ anonymous: 401, viewer: 403, analyst: status, admin: status, otherTenantToken: status });
const SIGNED_IN = (status: number) => ({ anonymous: 401, viewer: status, analyst: status, admin: status, otherTenantToken: status });

const MISSING = randomUUID();
// Bodies that pass authorization but fail validation, so nothing is created by the sweep.
const MATRIX: Row[] = [
  { method: "GET", path: "/api/health", expect: ANY },
  { method: "GET", path: "/api/ready", expect: ANY },
  // The test server has no METRICS_TOKEN: metrics are off (tests/integration/observability.test.ts turns them on).
  { method: "GET", path: "/api/metrics", expect: { anonymous: 404, viewer: 404, analyst: 404, admin: 404, otherTenantToken: 404 } },
  { method: "POST", path: "/api/v1/auth/token", body: {}, expect: { anonymous: 422, viewer: 422, analyst: 422, admin: 422, otherTenantToken: 422 } },
  { method: "GET", path: "/api/v1/me", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/openapi.json", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/audit", expect: ADMIN_ONLY(200, 200) },
  { method: "GET", path: "/api/v1/audit/verify", expect: ADMIN_ONLY(200) },
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
  { method: "GET", path: `/api/v1/datasets/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "GET", path: `/api/v1/datasets/${MISSING}/versions/1`, expect: SIGNED_IN(404) },
  { method: "GET", path: "/api/v1/recommendations", expect: SIGNED_IN(200) },
  { method: "GET", path: `/api/v1/recommendations/${MISSING}`, expect: SIGNED_IN(404) },
  { method: "PATCH", path: `/api/v1/recommendations/${MISSING}`, body: { status: "acknowledged" }, expect: INGEST(404) },
  { method: "GET", path: `/api/v1/recommendations/${MISSING}/implementation`, expect: SIGNED_IN(404) },
  { method: "POST", path: `/api/v1/recommendations/${MISSING}/implementation`, body: { outcome: "rejected", reason: "x" }, expect: INGEST(404) },
  { method: "POST", path: `/api/v1/recommendations/${MISSING}/verification`, expect: INGEST(404) },
  { method: "GET", path: "/api/v1/scorecard", expect: SIGNED_IN(200) },
  { method: "GET", path: "/api/v1/scorecard/export.csv", expect: INGEST(200) },
  { method: "GET", path: "/api/v1/scorecard/report.pdf", expect: INGEST(200) },
  { method: "POST", path: `/api/v1/mass/${MISSING}/recommend`, expect: INGEST(404) },
  { method: "GET", path: "/api/v1/biocore/status", expect: SIGNED_IN(200) },
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
  { method: "DELETE", path: `/api/v1/mass/${MISSING}`, expect: { anonymous: 401, viewer: 403, analyst: 403, admin: 404, otherTenantToken: 404 } },
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
    const covered = MATRIX.map((r) => `${r.method} ${r.path.replace(MISSING, ":id").replace(/\/versions\/\d+$/, "/versions/:version")}`).sort();
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
