// The authorization sweep, driven from the file tree (every route file, every page): two tenants
// with one of every resource; tenant A's principals asking for tenant B's ids on every route and
// page (404, nothing of B in the answer, B unchanged); lists never showing B, whatever filter is
// forced; viewers refused every change; nobody raising their own role or scope; extra fields in
// bodies ignored or refused; broken credentials refused everywhere; cookie-authenticated changes
// from another site refused while bearer calls are unaffected.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { can, isGlobalAction, type Action } from "@/lib/access/permissions";
import { badCredentials, sessionCookie, type BadCredential } from "../support/credentials";
import { adminToken, apiTokenWithRole, baseUrl, call, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";
import { mapLimit } from "../support/map-limit";
import { pdfText } from "../support/pdf-text";
import { declaredPages } from "../support/pages";
import { declaredRoutes, type DeclaredRoute } from "../support/routes";
import { leakedMarkers, seedTenant, type TenantWorld } from "../support/tenant-world";

const CONCURRENCY = 6;
const MISSING = randomUUID();
const hex = () => randomBytes(3).toString("hex");

/** Every route path with a parameter → that path for one tenant's resources. */
const ID_PATHS: Record<string, (w: TenantWorld) => string> = {
  "/api/v1/datasets/[id]": (w) => `/api/v1/datasets/${w.datasetId}`,
  "/api/v1/datasets/[id]/versions/[version]": (w) => `/api/v1/datasets/${w.datasetId}/versions/${w.version}`,
  "/api/v1/mass/[id]": (w) => `/api/v1/mass/${w.massId}`,
  "/api/v1/mass/[id]/events": (w) => `/api/v1/mass/${w.massId}/events`,
  "/api/v1/mass/[id]/recommend": (w) => `/api/v1/mass/${w.massId}/recommend`,
  "/api/v1/mass/[id]/status": (w) => `/api/v1/mass/${w.massId}/status`,
  "/api/v1/mv/reports/[id]": (w) => `/api/v1/mv/reports/${w.reportId}`,
  "/api/v1/mv/reports/[id]/export.csv": (w) => `/api/v1/mv/reports/${w.reportId}/export.csv`,
  "/api/v1/mv/reports/[id]/report.pdf": (w) => `/api/v1/mv/reports/${w.reportId}/report.pdf`,
  "/api/v1/mv/studies/[id]": (w) => `/api/v1/mv/studies/${w.studyId}`,
  "/api/v1/mv/studies/[id]/revisions": (w) => `/api/v1/mv/studies/${w.studyId}/revisions`,
  "/api/v1/mv/studies/[id]/runs": (w) => `/api/v1/mv/studies/${w.studyId}/runs`,
  "/api/v1/recommendations/[id]": (w) => `/api/v1/recommendations/${w.recommendationId}`,
  "/api/v1/recommendations/[id]/implementation": (w) => `/api/v1/recommendations/${w.recommendationId}/implementation`,
  "/api/v1/recommendations/[id]/verification": (w) => `/api/v1/recommendations/${w.recommendationId}/verification`,
  "/api/v1/tokens/[id]": (w) => `/api/v1/tokens/${w.admin.id}`,
  "/api/v1/users/[id]": (w) => `/api/v1/users/${w.analyst.id}`,
};

/** Every page path with a parameter → that page for one tenant's resources. */
const ID_PAGES: Record<string, (w: TenantWorld) => string> = {
  "/datasets/[id]/versions/[version]": (w) => `/datasets/${w.datasetId}/versions/${w.version}`,
  "/mv/reports/[id]": (w) => `/mv/reports/${w.reportId}`,
  "/mv/studies/[id]": (w) => `/mv/studies/${w.studyId}`,
  "/recommendations/[id]": (w) => `/recommendations/${w.recommendationId}`,
  "/requests/[id]": (w) => `/requests/${w.massId}`,
};

/** Bodies that would succeed for the owner, so that the only reason to refuse is who asks. */
function validBody(route: DeclaredRoute, spec: unknown): unknown {
  switch (`${route.method} ${route.path}`) {
    case "PATCH /api/v1/mass/[id]/status":
      return { status: "processing" };
    case "PATCH /api/v1/recommendations/[id]":
      return { status: "acknowledged", comment: "not yours" };
    case "POST /api/v1/recommendations/[id]/implementation":
      return { outcome: "rejected", reason: "not yours" };
    case "POST /api/v1/mv/studies/[id]/revisions":
      return { name: "hijacked", spec };
    case "PATCH /api/v1/users/[id]":
      return { role: "admin" };
    default:
      return undefined;
  }
}

const protectedRoutes = () => declaredRoutes().filter((r) => r.auth !== "public");
const idRoutes = () => declaredRoutes().filter((r) => r.path.includes("["));
const concrete = (path: string, w: TenantWorld | null) =>
  path.includes("[") ? (w ? ID_PATHS[path]!(w) : path.replace(/\[version\]/, "1").replace(/\[\w+\]/g, MISSING)) : path;

const db = new pg.Client({ connectionString: inject("databaseUrl") });
let a: TenantWorld;
let b: TenantWorld;

beforeAll(async () => {
  await db.connect();
  [a, b] = await Promise.all([
    seedTenant(`bola-a-${hex()}`, `site-a-${hex()}`),
    seedTenant(`bola-b-${hex()}`, `site-b-${hex()}`),
  ]);
}, 240_000);
afterAll(async () => {
  await db.end();
});

describe("authorization sweep", () => {
  let bSpec: unknown;
  let aSession: string;
  let bSession: string;

  /** What B's resources look like in the database: any request of A's must leave it as it was. */
  async function fingerprint(w: TenantWorld): Promise<string> {
    const { rows } = await db.query<{ f: string }>(
      `select json_build_object(
         'mass', (select json_build_object('status', status, 'deleted_at', deleted_at, 'tenant', tenant_id) from mass_request where id = $1),
         'jobs', (select count(*) from recommendation_job where mass_request_id = $1),
         'rec', (select json_build_object('status', status, 'tenant', tenant_id) from recommendation where id = $2),
         'impl', (select json_agg(json_build_object('outcome', outcome, 'study', study_id)) from recommendation_implementation where recommendation_id = $2),
         'study', (select json_build_object('name', name, 'revision', current_revision, 'tenant', tenant_id) from mv_study where id = $3),
         'revisions', (select count(*) from mv_study_revision where study_id = $3),
         'reports', (select count(*) from mv_report where study_id = $3),
         'user', (select json_build_object('role', role, 'tenants', tenant_ids, 'disabled', disabled_at, 'credentials', credentials_at) from app_user where id = $4),
         'token', (select json_build_object('revoked', revoked_at, 'role', role) from api_token where id = $5)
       )::text as f`,
      [w.massId, w.recommendationId, w.studyId, w.analyst.id, w.admin.id],
    );
    return rows[0]!.f;
  }

  beforeAll(async () => {
    const study = (await (await call(`/api/v1/mv/studies/${b.studyId}`, { token: b.admin.secret })).json()) as {
      revisions: { spec: unknown }[];
    };
    bSpec = study.revisions[0]!.spec;
    // Tenant A's dashboard user is an admin limited to A: every page but user and token management is open to it.
    const aAdmin = await userWithRole("admin", [a.tenant]);
    [aSession, bSession] = await Promise.all([
      sessionCookie(aAdmin.email, TEST_PASSWORD),
      sessionCookie(b.analyst.email, TEST_PASSWORD),
    ]);
  });

  it("knows every parameterized route and page of the code base", () => {
    expect(Object.keys(ID_PATHS).sort()).toEqual([...new Set(idRoutes().map((r) => r.path))].sort());
    expect(Object.keys(ID_PAGES).sort()).toEqual(declaredPages().filter((p) => p.includes("[")));
  });

  it("serves each tenant its own resources on every GET route with an id (the sweep's ids are real)", async () => {
    const gets = idRoutes().filter((r) => r.method === "GET");
    const statuses = await mapLimit(
      gets,
      CONCURRENCY,
      async (r) => `${r.path} ${(await call(ID_PATHS[r.path]!(b), { token: b.admin.secret })).status}`,
    );
    expect(statuses).toEqual(gets.map((r) => `${r.path} 200`));
  });

  it("answers 404 to tenant A for tenant B's ids on every route and method, leaks nothing and changes nothing", async () => {
    const before = await fingerprint(b);
    const attackers = [
      { name: "A's admin API token", role: "admin" as const, headers: { Authorization: `Bearer ${a.admin.secret}` } },
      { name: "A's analyst JWT", role: "analyst" as const, headers: { Authorization: `Bearer ${a.analyst.token}` } },
    ];
    const cases = idRoutes().flatMap((route) => attackers.map((attacker) => ({ route, attacker })));
    const failures = (
      await mapLimit(cases, CONCURRENCY, async ({ route, attacker }) => {
        const path = ID_PATHS[route.path]!(b);
        const res = await call(path, {
          method: route.method,
          headers: attacker.headers,
          body: validBody(route, bSpec),
        });
        const text = await res.text();
        // Users and tokens are installation-wide: a tenant-limited principal may not touch any. A
        // role without the permission is refused before any id is looked at.
        const action = route.auth as Action;
        const expected = isGlobalAction(action) || !can(attacker.role, action) ? 403 : 404;
        const problems = [
          res.status === expected ? null : `status ${res.status}`,
          (res.headers.get("content-type") ?? "").startsWith("application/problem+json") ? null : "not problem+json",
          ...leakedMarkers(b, text, path).map((m) => `leaks ${m}`),
        ].filter(Boolean);
        return problems.length ? `${route.method} ${path} as ${attacker.name}: ${problems.join(", ")}` : null;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
    expect(await fingerprint(b)).toBe(before);
  });

  it("shows tenant A's session a 404 page for tenant B's ids on every page with an id, and B's session the page", async () => {
    const pages = Object.values(ID_PAGES);
    const results = await mapLimit(pages, CONCURRENCY, async (page) => {
      const path = page(b);
      const foreign = await fetch(`${baseUrl()}${path}`, { headers: { Cookie: aSession }, redirect: "manual" });
      const text = await foreign.text();
      const own = await fetch(`${baseUrl()}${path}`, { headers: { Cookie: bSession }, redirect: "manual" });
      return `${path} A:${foreign.status}${leakedMarkers(b, text, path)
        .map((m) => ` leaks ${m}`)
        .join("")} B:${own.status}`;
    });
    expect(results).toEqual(pages.map((p) => `${p(b)} A:404 B:200`));
  });

  it("never shows tenant B's rows on any page of tenant A, whatever filter is forced into the query", async () => {
    const pages = declaredPages().filter((p) => !p.includes("[") && p !== "/login");
    const forced = [
      "",
      `?tenant_id=${b.tenant}`,
      `?tenant_id=${b.tenant}&site_id=${b.site}&version=${b.versionId}`,
      `?mass_request_id=${b.massId}&target_id=${b.massId}`,
    ];
    const cases = pages.flatMap((p) => forced.map((q) => `${p}${q}`));
    const failures = (
      await mapLimit(cases, CONCURRENCY, async (url) => {
        const res = await fetch(`${baseUrl()}${url}`, { headers: { Cookie: aSession }, redirect: "manual" });
        const leaks = leakedMarkers(b, await res.text(), url);
        return res.status >= 500 || leaks.length ? `${url}: ${res.status} ${leaks.join(", ")}` : null;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
  });

  it("never lists tenant B's rows to tenant A on any list or summary route, whatever filter is forced into the query", async () => {
    const lists = protectedRoutes().filter((r) => r.method === "GET" && !r.path.includes("["));
    const forced = [
      "",
      `tenant_id=${b.tenant}`,
      `site_id=${b.site}`,
      `version=${b.versionId}`,
      `mass_request_id=${b.massId}`,
      `target_id=${b.massId}`,
      `actor=${b.analyst.id}`,
      `period=12m&source=all`,
    ];
    // PDFs are slow to render: the unfiltered one and the one forced onto B's tenant.
    const cases = lists.flatMap((r) =>
      (r.path.endsWith(".pdf") ? forced.slice(0, 2) : forced).map((q) => `${r.path}${q ? `?${q}` : ""}`),
    );
    const failures = (
      await mapLimit(cases, CONCURRENCY, async (url) => {
        const res = await call(url, { token: a.admin.secret });
        const text =
          res.headers.get("content-type") === "application/pdf"
            ? await pdfText(new Uint8Array(await res.arrayBuffer()))
            : await res.text();
        const leaks = leakedMarkers(b, text, url);
        const problems = [
          ![200, 403, 422].includes(res.status) ? `status ${res.status}` : null,
          ...leaks.map((m) => `leaks ${m}`),
        ];
        // Counts are data too: tenant B's rows may not be counted in what A is shown.
        if (res.status === 200 && url.startsWith("/api/v1/observations?")) {
          if (url.includes(b.tenant) || url.includes(b.site) || url.includes(b.versionId)) {
            const total = (JSON.parse(text) as { total: number }).total;
            if (total !== 0) problems.push(`counts ${total} of B's observations`);
          }
        }
        return problems.some(Boolean) ? `${url}: ${problems.filter(Boolean).join(", ")}` : null;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
    const audit = (await (await call(`/api/v1/audit?limit=500`, { token: a.admin.secret })).json()) as {
      items: { tenant_id: string | null }[];
    };
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e) => e.tenant_id === a.tenant)).toBe(true);
  });

  it("refuses tenant A writing into tenant B, or pointing a study at B's dataset versions", async () => {
    const before = await fingerprint(b);
    const counts = async () =>
      (
        await db.query(
          "select (select count(*) from dataset where tenant_id = $1) + (select count(*) from mass_request where tenant_id = $1) + (select count(*) from mv_study where tenant_id = $1) as n",
          [b.tenant],
        )
      ).rows[0].n as string;
    const countsBefore = await counts();
    const payload = {
      tenant_id: b.tenant,
      "Site ID": b.site,
      timestamp_utc: "2026-11-20T14:00:00Z",
      it_load_kw: "100",
    };
    const enterprise = (await (await call(`/api/v1/mass/${a.massId}`, { token: a.analyst.token })).json()) as {
      raw: { request: Record<string, unknown> };
    };
    const intoB = {
      ...enterprise.raw,
      request: {
        ...enterprise.raw.request,
        tenant_id: b.tenant,
        request_id: `into-b-${hex()}`,
        idempotency_key: `into-b-${hex()}`,
      },
    };
    const attempts: [string, () => Promise<Response>, number[]][] = [
      [
        "a study in B",
        () =>
          call("/api/v1/mv/studies", {
            token: a.analyst.token,
            body: { tenant_id: b.tenant, name: "into B", spec: bSpec },
          }),
        [403],
      ],
      [
        "a study in A on B's dataset version",
        () =>
          call("/api/v1/mv/studies", {
            token: a.analyst.token,
            body: { tenant_id: a.tenant, name: "on B", spec: bSpec },
          }),
        [403, 404, 422],
      ],
      [
        "a dataset in B",
        () =>
          fetch(`${baseUrl()}/api/v1/datasets?name=into-b&tenant_id=${b.tenant}`, {
            method: "POST",
            headers: {
              Authorization: `Bearer ${a.analyst.token}`,
              "Content-Type": "text/csv",
              "X-Forwarded-For": freshIp(),
            },
            body: `timestamp_utc,site_id,it_load_kw\n2026-11-20T14:00:00Z,${b.site},100\n`,
          }),
        [403],
      ],
      ["a MASS Simple request in B", () => call("/api/v1/mass", { token: a.analyst.token, body: { payload } }), [403]],
      [
        "an enterprise MASS request in B",
        () => call("/api/v1/mass/generate", { token: a.analyst.token, body: intoB }),
        [403],
      ],
      ["a dry run in B", () => call("/api/v1/mass/validate", { token: a.analyst.token, body: { payload } }), [403]],
    ];
    const results = await mapLimit(attempts, CONCURRENCY, async ([name, send, allowed]) => {
      const res = await send();
      return allowed.includes(res.status) ? `${name}: refused` : `${name}: ${res.status} ${await res.text()}`;
    });
    expect(results).toEqual(attempts.map(([name]) => `${name}: refused`));
    expect(await counts()).toBe(countsBefore);
    expect(await fingerprint(b)).toBe(before);
  });

  it("refuses a viewer every change on every mutating route, on its own tenant's real resources", async () => {
    const before = await fingerprint(b);
    const mutations = protectedRoutes().filter((r) => r.method !== "GET");
    const results = await mapLimit(mutations, CONCURRENCY, async (route) => {
      const path = concrete(route.path, route.path.includes("[") ? b : null);
      const body = validBody(route, bSpec) ?? (route.method === "POST" ? {} : undefined);
      const res = await call(path, { method: route.method, token: b.viewer.token, body });
      return `${route.method} ${route.path} ${res.status}`;
    });
    expect(results).toEqual(
      mutations.map((r) => `${r.method} ${r.path} ${can("viewer", r.auth as Action) ? "allowed" : 403}`),
    );
    expect(await fingerprint(b)).toBe(before);
  });

  it("lets no analyst manage users or tokens, and nobody raise their own role or widen their own scope", async () => {
    const analyst = await userWithRole("analyst");
    const viewer = await userWithRole("viewer");
    const scopedAdmin = await userWithRole("admin", [a.tenant]);
    const analystToken = await apiTokenWithRole("analyst");
    const adminApiToken = await apiTokenWithRole("admin");
    const attempts: { who: string; token: string; method: string; path: string; body: unknown }[] = [
      {
        who: "analyst",
        token: analyst.token,
        method: "POST",
        path: "/api/v1/users",
        body: { email: `new-${hex()}@pilot.test`, password: TEST_PASSWORD, role: "admin" },
      },
      {
        who: "analyst",
        token: analyst.token,
        method: "PATCH",
        path: `/api/v1/users/${viewer.id}`,
        body: { role: "admin" },
      },
      {
        who: "analyst",
        token: analyst.token,
        method: "PATCH",
        path: `/api/v1/users/${analyst.id}`,
        body: { role: "admin" },
      },
      {
        who: "analyst",
        token: analyst.token,
        method: "POST",
        path: "/api/v1/tokens",
        body: { name: "mine", role: "admin" },
      },
      {
        who: "viewer",
        token: viewer.token,
        method: "PATCH",
        path: `/api/v1/users/${viewer.id}`,
        body: { role: "admin" },
      },
      {
        who: "viewer",
        token: viewer.token,
        method: "PATCH",
        path: `/api/v1/users/${viewer.id}`,
        body: { role: "analyst", tenant_ids: [] },
      },
      {
        who: "tenant-limited admin",
        token: scopedAdmin.token,
        method: "PATCH",
        path: `/api/v1/users/${scopedAdmin.id}`,
        body: { tenant_ids: [] },
      },
      {
        who: "tenant-limited admin",
        token: scopedAdmin.token,
        method: "POST",
        path: "/api/v1/users",
        body: { email: `new-${hex()}@pilot.test`, password: TEST_PASSWORD, role: "admin" },
      },
      {
        who: "analyst API token",
        token: analystToken.secret,
        method: "POST",
        path: "/api/v1/tokens",
        body: { name: "mine", role: "admin" },
      },
      // An API token, even an admin one, does not mint tokens: only a signed-in admin does.
      {
        who: "admin API token",
        token: adminApiToken.secret,
        method: "POST",
        path: "/api/v1/tokens",
        body: { name: "mine", role: "admin" },
      },
    ];
    const results = await mapLimit(
      attempts,
      CONCURRENCY,
      async (x) =>
        `${x.who} ${x.method} ${x.path} ${(await call(x.path, { method: x.method, token: x.token, body: x.body })).status}`,
    );
    expect(results).toEqual(attempts.map((x) => `${x.who} ${x.method} ${x.path} 403`));
    const { rows } = await db.query<{ id: string; role: string; tenant_ids: string[] }>(
      "select id, role, tenant_ids from app_user where id = any($1::uuid[])",
      [[analyst.id, viewer.id, scopedAdmin.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, `${r.role} ${r.tenant_ids.join()}`]))).toEqual({
      [analyst.id]: "analyst ",
      [viewer.id]: "viewer ",
      [scopedAdmin.id]: `admin ${a.tenant}`,
    });
  });
});

// Tenant A's own resources, after the sweep above has looked at them.
describe("mass assignment", () => {
  let w: TenantWorld;
  const forgedId = randomUUID();
  const EXTRA = {
    id: forgedId,
    role: "admin",
    tenant_id: "someone-else",
    tenantId: "someone-else",
    created_by: forgedId,
    createdById: forgedId,
    status: "done",
    createdAt: "2000-01-01T00:00:00Z",
    created_at: "2000-01-01T00:00:00Z",
  };
  const recent = (d: Date) => Date.now() - d.getTime() < 10 * 60_000;

  beforeAll(() => {
    w = a;
  });

  type Case = { send: () => Promise<Response>; check?: (res: Response) => Promise<void> };
  const simplePayload = () => ({ "Site ID": w.site, timestamp_utc: "2026-11-20T14:00:00Z", it_load_kw: "100" });

  /** Every route that takes a body: the request with extra fields, and what the database must show afterwards. */
  const CASES: Record<string, Case | "reads no body"> = {
    "POST /api/biocore-reference/recommend": {
      send: () => call("/api/biocore-reference/recommend", { body: { ...EXTRA } }),
    },
    // Stores nothing; extra fields are ignored and the anchors sent are only compared.
    "POST /api/v1/audit/verify": {
      send: async () => call("/api/v1/audit/verify", { token: await adminToken(), body: { anchors: [], ...EXTRA } }),
    },
    "POST /api/v1/auth/token": {
      send: () => call("/api/v1/auth/token", { body: { email: w.viewer.email, password: TEST_PASSWORD, ...EXTRA } }),
      check: async (res) => {
        if (res.status !== 200) return;
        const me = (await (
          await call("/api/v1/me", { token: ((await res.json()) as { access_token: string }).access_token })
        ).json()) as { role: string; tenant_ids: string[] };
        expect(me).toMatchObject({ role: "viewer", tenant_ids: [w.tenant] });
      },
    },
    "POST /api/v1/datasets": {
      send: () =>
        fetch(
          `${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: "assigned", tenant_id: w.tenant, id: forgedId, created_by: forgedId, state: "failed", version: "99" })}`,
          {
            method: "POST",
            headers: {
              Authorization: `Bearer ${w.analyst.token}`,
              "Content-Type": "text/csv",
              "X-Forwarded-For": freshIp(),
            },
            body: `timestamp_utc,site_id,interval_seconds,it_load_kw\n2026-11-20T14:00:00Z,${w.site},900,100\n2026-11-20T14:15:00Z,${w.site},900,101\n`,
          },
        ),
      check: async (res) => {
        const { rows } = await db.query(
          "select d.id, d.created_by_id, v.version, v.state from dataset d join dataset_version v on v.dataset_id = d.id where d.tenant_id = $1 and d.name = 'assigned'",
          [w.tenant],
        );
        // The query's extras are stripped: the upload is accepted as if they were not there.
        expect(res.status).toBe(201);
        expect(rows).toEqual([
          { id: expect.not.stringMatching(forgedId), created_by_id: w.analyst.id, version: 1, state: "ready" },
        ]);
      },
    },
    // A dry run: the query's extras are stripped and nothing is written.
    "POST /api/v1/datasets/preview": {
      send: () =>
        fetch(
          `${baseUrl()}/api/v1/datasets/preview?${new URLSearchParams({ name: "assigned-preview", tenant_id: w.tenant, id: forgedId, created_by: forgedId, state: "failed", version: "99" })}`,
          {
            method: "POST",
            headers: {
              Authorization: `Bearer ${w.analyst.token}`,
              "Content-Type": "text/csv",
              "X-Forwarded-For": freshIp(),
            },
            body: `timestamp_utc,site_id,interval_seconds,it_load_kw\n2026-11-20T14:00:00Z,${w.site},900,100\n`,
          },
        ),
      check: async (res) => {
        expect(res.status).toBe(200);
        const { rows } = await db.query("select id from dataset where tenant_id = $1 and name = 'assigned-preview'", [
          w.tenant,
        ]);
        expect(rows).toEqual([]);
      },
    },
    "POST /api/v1/mass": {
      send: () => call("/api/v1/mass", { token: w.analyst.token, body: { payload: simplePayload(), ...EXTRA } }),
      check: (res) => checkMass(res),
    },
    "POST /api/v1/mass/generate": {
      send: async () => {
        const detail = (await (await call(`/api/v1/mass/${w.massId}`, { token: w.analyst.token })).json()) as {
          raw: { request: { request_id: string; idempotency_key: string } };
        };
        const raw = detail.raw;
        raw.request.request_id += "-assign";
        raw.request.idempotency_key += "-assign";
        return call("/api/v1/mass/generate", { token: w.analyst.token, body: { ...raw, ...EXTRA } });
      },
      check: (res) => checkMass(res),
    },
    "POST /api/v1/mass/batch": {
      // The extra fields beside a document's key and payload make it invalid: nothing is stored.
      send: () =>
        call("/api/v1/mass/batch", {
          token: w.analyst.token,
          body: [{ idempotency_key: `assign-batch-${randomUUID()}`, payload: simplePayload(), ...EXTRA }],
        }),
      check: async (res) => {
        expect(res.status).toBe(422);
        await checkMass(res);
      },
    },
    "POST /api/v1/mass/validate": {
      send: () =>
        call("/api/v1/mass/validate", { token: w.analyst.token, body: { payload: simplePayload(), ...EXTRA } }),
    },
    "POST /api/v1/mass/[id]/recommend": "reads no body",
    "POST /api/v1/biocore/jobs/retry-failed": "reads no body",
    "PATCH /api/v1/mass/[id]/status": {
      send: () =>
        call(`/api/v1/mass/${w.massId}/status`, {
          method: "PATCH",
          token: w.analyst.token,
          body: { ...EXTRA, status: "processing", deleted_at: "2000-01-01T00:00:00Z", payload_hash: "x" },
        }),
      check: async () => {
        const { rows } = await db.query(
          "select tenant_id, deleted_at, payload_hash <> 'x' as hash_kept from mass_request where id = $1",
          [w.massId],
        );
        expect(rows).toEqual([{ tenant_id: w.tenant, deleted_at: null, hash_kept: true }]);
      },
    },
    "POST /api/v1/mv/studies": {
      send: async () =>
        call("/api/v1/mv/studies", {
          token: w.analyst.token,
          body: { ...EXTRA, tenant_id: w.tenant, name: "assigned", spec: await specOf(), current_revision: 99 },
        }),
      check: async () => checkStudies("assigned"),
    },
    "POST /api/v1/mv/studies/[id]/revisions": {
      send: async () =>
        call(`/api/v1/mv/studies/${w.studyId}/revisions`, {
          token: w.analyst.token,
          body: { spec: await specOf(), revision: 99, tenant_id: "someone-else", created_by: forgedId },
        }),
      check: async () => checkStudies(null),
    },
    "POST /api/v1/mv/studies/[id]/runs": {
      send: () =>
        call(`/api/v1/mv/studies/${w.studyId}/runs`, {
          token: w.analyst.token,
          body: { revision: 1, id: forgedId, pass: true, results_hash: "x", created_by: forgedId },
        }),
      check: async () => {
        const { rows } = await db.query(
          "select count(*)::int as n from mv_report where id = $1 or results_hash = 'x' or created_by_id = $1::text",
          [forgedId],
        );
        expect(rows[0].n).toBe(0);
      },
    },
    "PATCH /api/v1/recommendations/[id]": {
      send: () =>
        call(`/api/v1/recommendations/${w.recommendationId}`, {
          method: "PATCH",
          token: w.analyst.token,
          body: { ...EXTRA, status: "acknowledged", category: "forged", site_id: "forged" },
        }),
      check: async () => {
        const { rows } = await db.query("select tenant_id, category, site_id from recommendation where id = $1", [
          w.recommendationId,
        ]);
        expect(rows).toEqual([{ tenant_id: w.tenant, category: "cooling_setpoint", site_id: w.site }]);
      },
    },
    "POST /api/v1/recommendations/[id]/implementation": {
      send: () =>
        call(`/api/v1/recommendations/${w.recommendationId}/implementation`, {
          token: w.analyst.token,
          body: { outcome: "rejected", reason: "assigned", ...EXTRA },
        }),
      check: async () => {
        const { rows } = await db.query(
          "select outcome, tenant_id, created_by_id from recommendation_implementation where recommendation_id = $1",
          [w.recommendationId],
        );
        expect(rows).toEqual([{ outcome: "implemented", tenant_id: w.tenant, created_by_id: w.analyst.id }]);
      },
    },
    "POST /api/v1/recommendations/[id]/verification": "reads no body",
    // The ask's body is a strict object: extras are refused, and nothing is queued or audited.
    "POST /api/v1/recommendations/ask": {
      send: () =>
        call("/api/v1/recommendations/ask", {
          token: w.analyst.token,
          body: { site_id: w.site, from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z", ...EXTRA },
        }),
      check: async (res) => {
        expect(res.status).toBe(422);
        const { rows } = await db.query(
          "select count(*)::int as n from audit_event where action = 'recommendation.ask' and tenant_id = any($1::text[])",
          [[w.tenant, "someone-else"]],
        );
        expect(rows[0].n).toBe(0);
      },
    },

    "POST /api/v1/users": {
      send: async () =>
        call("/api/v1/users", {
          token: await adminToken(),
          body: {
            ...EXTRA,
            email: `assigned-${hex()}@pilot.test`,
            password: TEST_PASSWORD,
            role: "viewer",
            tenant_ids: [w.tenant],
            password_hash: "x",
            passwordHash: "x",
            disabled_at: "2000-01-01T00:00:00Z",
            credentials_at: "2000-01-01T00:00:00Z",
          },
        }),
      check: async (res) => {
        const created = res.status === 201 ? ((await res.json()) as { id: string }).id : null;
        const { rows } = await db.query<{
          id: string;
          role: string;
          password_hash: string;
          disabled_at: Date | null;
          created_at: Date;
        }>(
          "select id, role, password_hash, disabled_at, created_at from app_user where email like 'assigned-%' or id = $1",
          [forgedId],
        );
        for (const row of rows) {
          expect(row.id).toBe(created);
          expect(row).toMatchObject({ role: "viewer", disabled_at: null });
          expect(row.password_hash).not.toBe("x");
          expect(recent(row.created_at)).toBe(true);
        }
      },
    },
    "PATCH /api/v1/users/[id]": {
      send: async () =>
        call(`/api/v1/users/${w.viewer.id}`, {
          method: "PATCH",
          token: await adminToken(),
          body: {
            disabled: false,
            id: forgedId,
            email: "hijacked@pilot.test",
            password_hash: "x",
            created_at: "2000-01-01T00:00:00Z",
          },
        }),
      check: async () => {
        const { rows } = await db.query("select email, password_hash <> 'x' as hash_kept from app_user where id = $1", [
          w.viewer.id,
        ]);
        expect(rows).toEqual([{ email: w.viewer.email, hash_kept: true }]);
      },
    },
    "POST /api/v1/tokens": {
      send: async () =>
        call("/api/v1/tokens", {
          token: await adminToken(),
          body: {
            ...EXTRA,
            name: "assigned",
            role: "viewer",
            tenant_ids: [w.tenant],
            token_hash: "x",
            prefix: "pib_forged",
            revoked_at: "2000-01-01T00:00:00Z",
            last_used_at: "2000-01-01T00:00:00Z",
          },
        }),
      check: async () => {
        const { rows } = await db.query(
          "select id, role, token_hash, prefix, revoked_at, last_used_at, created_by_id, created_at from api_token where name = 'assigned'",
        );
        for (const row of rows) {
          expect(row).toMatchObject({ role: "viewer", revoked_at: null, last_used_at: null });
          expect(row.id).not.toBe(forgedId);
          expect(row.token_hash).not.toBe("x");
          expect(row.prefix).not.toBe("pib_forged");
          expect(row.created_by_id).not.toBe(forgedId);
          expect(recent(row.created_at)).toBe(true);
        }
      },
    },
  };

  async function specOf(): Promise<unknown> {
    const study = (await (await call(`/api/v1/mv/studies/${w.studyId}`, { token: w.analyst.token })).json()) as {
      revisions: { spec: unknown }[];
    };
    return study.revisions[0]!.spec;
  }

  async function checkMass(res: Response): Promise<void> {
    const { rows } = await db.query<{
      id: string;
      tenant_id: string;
      status: string;
      created_by_id: string;
      received_at: Date;
    }>(
      "select id, tenant_id, status, created_by_id, received_at from mass_request where id = $1 or created_by_id = $1::text or received_at < '2001-01-01'",
      [forgedId],
    );
    expect(rows).toEqual([]);
    if (res.status === 201) {
      const { id } = (await res.json()) as { id: string };
      const { rows: created } = await db.query("select tenant_id, created_by_id from mass_request where id = $1", [id]);
      expect(created).toEqual([{ tenant_id: w.tenant, created_by_id: w.analyst.id }]);
    }
  }

  async function checkStudies(name: string | null): Promise<void> {
    const { rows } = await db.query(
      "select s.id, s.tenant_id, s.current_revision, s.created_by_id from mv_study s where s.id = $1 or s.tenant_id = 'someone-else' or s.name = $2 or s.current_revision = 99",
      [forgedId, name ?? "-"],
    );
    for (const row of rows)
      expect(row).toMatchObject({ tenant_id: w.tenant, current_revision: 1, created_by_id: w.analyst.id });
    const revisions = await db.query(
      "select count(*)::int as n from mv_study_revision where study_id = $1 and revision > 1",
      [w.studyId],
    );
    if (name === null) expect(revisions.rows[0].n).toBeLessThanOrEqual(1);
  }

  it("covers every route that takes a body", () => {
    const withBody = declaredRoutes()
      .filter((r) => ["POST", "PUT", "PATCH"].includes(r.method))
      .map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(CASES).sort()).toEqual(withBody.sort());
  });

  it("ignores or refuses (422) id, role, tenant, creator, status and timestamps sent in a body", async () => {
    const failures: string[] = [];
    for (const [key, c] of Object.entries(CASES)) {
      if (c === "reads no body") continue;
      const res = await c.send();
      const text = await res.clone().text();
      // Refused as invalid (422) or for the tenant it names (403), or accepted without the extras.
      if (res.status >= 300 && res.status !== 422 && res.status !== 403) failures.push(`${key}: ${res.status} ${text}`);
      try {
        await c.check?.(res);
      } catch (error) {
        failures.push(`${key} (${res.status} ${text.slice(0, 300)}): ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("broken credentials and cross-site requests", () => {
  let bearer: BadCredential[];
  let cookies: BadCredential[];
  let admin: { id: string; email: string; token: string };
  let adminSession: string;

  beforeAll(async () => {
    admin = await userWithRole("admin");
    const [revoked, expired] = [await apiTokenWithRole("admin"), await apiTokenWithRole("admin")];
    expect((await call(`/api/v1/tokens/${revoked.id}`, { method: "DELETE", token: await adminToken() })).status).toBe(
      200,
    );
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    await db.query("update api_token set expires_at = now() - interval '1 minute' where id = $1", [expired.id]);
    await db.end();
    ({ bearer, cookies } = await badCredentials({
      userId: admin.id,
      validJwt: admin.token,
      revokedToken: revoked.secret,
      expiredToken: expired.secret,
    }));
    adminSession = await sessionCookie(admin.email, TEST_PASSWORD);
  }, 120_000);

  it("answers 401 to every broken bearer credential and session cookie on every protected route", async () => {
    const routes = protectedRoutes();
    const cases = routes.flatMap((route) => [...bearer, ...cookies].map((credential) => ({ route, credential })));
    const failures = (
      await mapLimit(cases, CONCURRENCY * 2, async ({ route, credential }) => {
        const res = await call(concrete(route.path, null), { method: route.method, headers: credential.headers });
        await res.arrayBuffer();
        return res.status === 401 && res.headers.get("content-type")?.startsWith("application/problem+json")
          ? null
          : `${route.method} ${route.path} with ${credential.name}: ${res.status}`;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
    // The same routes answer the real credentials: the 401s above are the credentials' doing.
    expect((await call("/api/v1/me", { token: admin.token })).status).toBe(200);
    expect((await call("/api/v1/me", { headers: { Cookie: adminSession } })).status).toBe(200);
  });

  it("sends every broken session cookie from every page to the login page", async () => {
    const pages = declaredPages()
      .filter((p) => p !== "/login")
      .map((p) => p.replace(/\[version\]/, "1").replace(/\[\w+\]/g, MISSING));
    const cases = pages.flatMap((page) => cookies.map((credential) => ({ page, credential })));
    const failures = (
      await mapLimit(cases, CONCURRENCY, async ({ page, credential }) => {
        const res = await fetch(`${baseUrl()}${page}`, { headers: credential.headers, redirect: "manual" });
        await res.arrayBuffer();
        const location = new URL(res.headers.get("location") ?? "/", baseUrl()).pathname;
        return res.status === 307 && location === "/login"
          ? null
          : `${page} with ${credential.name}: ${res.status} → ${location}`;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
  });

  it("refuses every cookie-authenticated change sent from another site, and lets bearer calls through", async () => {
    const mutations = protectedRoutes().filter((r) => r.method !== "GET");
    const crossSite: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "same-site", Origin: "https://sub.127.0.0.1.nip.io" },
      { Origin: "https://evil.example" },
      { Origin: "null" },
    ];
    const body = (r: DeclaredRoute) => (r.method === "DELETE" ? undefined : {});
    const failures = (
      await mapLimit(mutations, CONCURRENCY, async (route) => {
        const path = concrete(route.path, null);
        const out: string[] = [];
        for (const headers of crossSite) {
          const res = await call(path, {
            method: route.method,
            body: body(route),
            headers: { ...headers, Cookie: adminSession },
          });
          if (res.status !== 403) out.push(`cookie with ${JSON.stringify(headers)}: ${res.status}`);
        }
        const sameOrigin = await call(path, {
          method: route.method,
          body: body(route),
          headers: { "Sec-Fetch-Site": "same-origin", Origin: baseUrl(), Cookie: adminSession },
        });
        const bearerPlain = await call(path, { method: route.method, body: body(route), token: admin.token });
        const bearerCross = await call(path, {
          method: route.method,
          body: body(route),
          token: admin.token,
          headers: crossSite[0],
        });
        if (sameOrigin.status === 403) out.push("same-origin cookie call refused");
        if (bearerPlain.status === 403 || bearerCross.status !== bearerPlain.status)
          out.push(`bearer ${bearerPlain.status}, cross-site bearer ${bearerCross.status}`);
        return out.length ? `${route.method} ${route.path}: ${out.join("; ")}` : null;
      })
    ).filter(Boolean);
    expect(failures).toEqual([]);
  });
});
