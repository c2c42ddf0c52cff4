// Property-based fuzzing of every API route (issue "Reliability and security proof", item 4): for
// arbitrary and adversarial bodies, content types, query strings and path parameters, the server
// never answers 5xx, every 4xx is an RFC 9457 problem naming its problems, and a refused request
// stores nothing (every product table keeps its row count; refusals may add audit events of
// result `denied` or `error`, which the product records on purpose). Routes come from the route
// files (tests/support/routes.ts) and their inputs from the OpenAPI operations, so a new route is
// fuzzed automatically — or fails here when it has no fuzz model (an example body or an id source).
// Runs per route: FUZZ_RUNS (default 6); the seed is fixed (FC_SEED to explore).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { OPERATIONS, type OperationSpec } from "@/lib/openapi/document";
import type { AppServer } from "../support/app-server";
import { demoWindowCsv } from "../support/demo-window";
import { csvText } from "../support/fuzz-csv";
import {
  answerViolation,
  FUZZ_RUNS,
  recommendationQueueIdle,
  send,
  startFuzzServer,
  TableCounts,
  type FuzzRequest,
} from "../support/fuzz-harness";
import {
  CONTENT_TYPES,
  HOSTILE_BODIES,
  INVALID_UTF8_BODIES,
  jsonBody,
  pathSegment,
  queryString,
} from "../support/fuzz-inputs";
import { declaredRoutes, type DeclaredRoute } from "../support/routes";

const enterpriseExample = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};

/** Ids of real resources, created before fuzzing, by the path up to the parameter. */
const ids: Record<string, string[]> = {};
const PARAM_SOURCES = [
  "/api/v1/users/[id]",
  "/api/v1/tokens/[id]",
  "/api/v1/mass/[id]",
  "/api/v1/datasets/[id]",
  "/api/v1/datasets/[id]/versions/[version]",
  "/api/v1/recommendations/[id]",
  "/api/v1/mv/studies/[id]",
  "/api/v1/mv/reports/[id]",
];

/** Valid bodies for operations whose documented example is missing or names nothing real (read when fuzzing starts). */
const EXAMPLE_BODIES: Record<string, () => unknown> = {
  "POST /api/v1/auth/token": () => ({ email: "admin@extra.test", password: "not the password" }),
  "PATCH /api/v1/mass/[id]/status": () => ({ status: "processing" }),
  "POST /api/v1/mv/studies": () => studyBody(),
  "POST /api/v1/mv/studies/[id]/revisions": () => ({ name: "fuzzed revision", note: "fuzz", spec: studyBody().spec }),
  "POST /api/v1/mv/studies/[id]/runs": () => ({ revision: 1 }),
  "POST /api/biocore-reference/recommend": () => enterpriseExample,
};

function studyBody() {
  return {
    tenant_id: "demo",
    name: "fuzz study",
    spec: {
      scope: { siteId: "mad1" },
      boundary: "facility",
      source: { datasetVersionIds: ids.datasetVersion ?? [], massUntil: null },
      baseline: { from: "2026-05-01T00:00:00Z", to: "2026-06-01T00:00:00Z" },
      reporting: { from: "2026-06-01T00:00:00Z", to: "2026-06-15T00:00:00Z" },
      granularity: "daily",
      model: { kind: "ols_it_cdd", balancePointC: null },
      assumptions: {
        energyPrice: { source: "data" },
        carbonIntensity: { source: "data" },
        exclusions: [],
        adjustments: [],
      },
    },
  };
}

type Model = {
  key: string;
  route: DeclaredRoute;
  spec: OperationSpec;
  body: "json" | "csv" | "none";
  example: () => unknown;
  queryKeys: string[];
  /** Each `[param]` of the path with the key of its id source. */
  params: { segment: string; source: string }[];
};

function modelOf(route: DeclaredRoute): Model | string {
  const key = `${route.method} ${route.path}`;
  const openApiPath = route.path.replace(/\[(\w+)\]/g, "{$1}");
  const spec = OPERATIONS.find((o) => o.method === route.method.toLowerCase() && o.path === openApiPath);
  if (!spec) return `${key}: not in the OpenAPI operations (lib/openapi/operations/)`;
  const segments = route.path.split("/");
  const params = segments.flatMap((s, i) =>
    /^\[\w+\]$/.test(s) ? [{ segment: s, source: segments.slice(0, i + 1).join("/") }] : [],
  );
  const unknown = params.filter((p) => !PARAM_SOURCES.includes(p.source));
  if (unknown.length)
    return `${key}: no id source for ${unknown.map((p) => p.source).join(", ")} (add one to PARAM_SOURCES and seed it)`;
  const body = spec.rawBody ? "csv" : spec.body ? "json" : "none";
  const documented =
    spec.body?.example ?? (spec.body?.examples ? Object.values(spec.body.examples)[0]!.value : undefined);
  const example = EXAMPLE_BODIES[key] ?? (documented === undefined ? undefined : () => documented);
  if (body === "json" && example === undefined)
    return `${key}: no example body to mutate (add one to the operation or to EXAMPLE_BODIES)`;
  const shape = (spec.query as z.ZodObject | undefined)?.shape;
  return {
    key,
    route,
    spec,
    body,
    example: example ?? (() => ({})),
    queryKeys: shape ? Object.keys(shape) : [],
    params,
  };
}

/** Percent-encodes the UTF-8 bytes of any string, lone surrogates included (encodeURIComponent throws on them). */
function encodeSegment(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

function pathArb(model: Model): fc.Arbitrary<string> {
  if (model.params.length === 0) return fc.constant(model.route.path);
  return fc.tuple(...model.params.map((p) => pathSegment(ids[p.source] ?? []))).map((values) => {
    let path = model.route.path;
    model.params.forEach((p, i) => {
      const v = values[i]!;
      path = path.replace(p.segment, encodeSegment(v));
    });
    return path;
  });
}

/** A case as fast-check prints it on failure: bodies shortened, so a 1 MB counterexample stays readable. */
type Case = FuzzRequest & { label: string };
function printable(c: Case): Case {
  return Object.assign(c, {
    [fc.toStringMethod]: () => {
      const body =
        c.body === undefined ? "" : typeof c.body === "string" ? c.body : Buffer.from(c.body).toString("latin1");
      return `${c.method} ${c.path.slice(0, 300)} [${c.contentType ?? "no content type"}] (${c.label}) ${body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body}`;
    },
  });
}

/** The generated body, printed shortened in a counterexample. */
function shortPrint<T extends { text?: string | Uint8Array<ArrayBuffer>; contentType: string | null; label: string }>(
  b: T,
): T {
  return Object.assign(b, {
    [fc.toStringMethod]: () => {
      const text =
        b.text === undefined ? "" : typeof b.text === "string" ? b.text : Buffer.from(b.text).toString("latin1");
      return `[${b.contentType ?? "no content type"}] (${b.label}) ${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text)}`;
    },
  });
}

const modelErrors: string[] = [];
const declared = declaredRoutes();
const allModels = declared.flatMap((route) => {
  const m = modelOf(route);
  if (typeof m === "string") modelErrors.push(m);
  return typeof m === "string" ? [] : [m];
});
// Deleting comes last, so the other routes meet the seeded resources alive.
const models = [
  ...allModels.filter((m) => m.route.method !== "DELETE"),
  ...allModels.filter((m) => m.route.method === "DELETE"),
];
// Each route's cases within a test of its own, with time for FUZZ_RUNS of them on a busy machine.
const ROUTE_TIMEOUT_MS = 30_000 + FUZZ_RUNS * 3_000;

describe("fuzzing every API route", () => {
  let server: AppServer;
  let db: pg.Client;
  let counts: TableCounts;
  let token = "";

  async function api(method: string, path: string, body?: unknown, contentType = "application/json") {
    const res = await send(server.baseUrl, {
      method,
      path,
      token,
      contentType: body === undefined ? null : contentType,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, json: () => JSON.parse(res.text) as Record<string, unknown> & { id: string } };
  }

  /** The server's error log lines of the request a problem names. */
  function serverLogOf(problemText: string): string {
    const id = /"request_id":"([^"]+)"/.exec(problemText)?.[1];
    return id
      ? server.stdout
          .filter((l) => l.includes(id))
          .join("\n")
          .slice(0, 1500)
      : "(no request id)";
  }

  /** Sends one case and checks the properties; returns the status. */
  async function check(c: Case): Promise<number> {
    const before = await counts.snapshot();
    const answer = await send(server.baseUrl, c);
    const what = `${c.method} ${c.path.slice(0, 200)} (${c.label})`;
    const violation = answerViolation(answer);
    if (violation)
      throw new Error(
        `${what}: ${violation}${answer.status >= 500 ? ` — server log: ${serverLogOf(answer.text)}` : ""}`,
      );
    if (answer.status >= 300) {
      const left = await counts.leftovers(before);
      if (left) throw new Error(`${what}: ${answer.status} left ${left}`);
    } else if (c.method !== "GET") await recommendationQueueIdle(db);
    const loading = await db.query<{ n: number }>(
      "select count(*)::int as n from dataset_version where state <> 'ready'",
    );
    if (loading.rows[0]!.n !== 0) throw new Error(`${what}: ${answer.status} left a dataset version that is not ready`);
    return answer.status;
  }

  beforeAll(async () => {
    server = await startFuzzServer();
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    counts = new TableCounts(db);
    await counts.init();
    const login = await send(server.baseUrl, {
      method: "POST",
      path: "/api/v1/auth/token",
      contentType: "application/json",
      body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
    });
    token = (JSON.parse(login.text) as { access_token: string }).access_token;

    const user = await api("POST", "/api/v1/users", {
      email: `fuzz-victim-${randomBytes(3).toString("hex")}@pilot.test`,
      password: "correct-horse-battery-staple",
      role: "viewer",
      tenant_ids: [],
    });
    ids["/api/v1/users/[id]"] = [user.json().id];
    const apiToken = await api("POST", "/api/v1/tokens", { name: "fuzz victim", role: "viewer", tenant_ids: [] });
    ids["/api/v1/tokens/[id]"] = [apiToken.json().id];

    const { csv } = demoWindowCsv(["mad1"], "2026-05-01T00:00:00Z", "2026-06-15T00:00:00Z");
    const upload = await api(
      "POST",
      `/api/v1/datasets?${new URLSearchParams({ name: "fuzz seed", tenant_id: "demo" })}`,
      csv,
      "text/csv",
    );
    expect(upload.status).toBe(201);
    const uploaded = upload.json() as unknown as { dataset: { id: string }; version: { id: string; version: number } };
    ids["/api/v1/datasets/[id]"] = [uploaded.dataset.id];
    ids["/api/v1/datasets/[id]/versions/[version]"] = [String(uploaded.version.version)];
    ids.datasetVersion = [uploaded.version.id];

    const doc = structuredClone(enterpriseExample);
    doc.request.idempotency_key = `fuzz-seed-${randomBytes(4).toString("hex")}`;
    doc.request.request_id = `fuzz-seed-${randomBytes(4).toString("hex")}`;
    const mass = await api("POST", "/api/v1/mass/generate", doc);
    expect(mass.status).toBe(201);
    ids["/api/v1/mass/[id]"] = [mass.json().id];
    await recommendationQueueIdle(db);
    const recs = await api("GET", `/api/v1/recommendations?mass_request_id=${mass.json().id}`);
    ids["/api/v1/recommendations/[id]"] = ((recs.json() as unknown as { items: { id: string }[] }).items ?? [])
      .map((r) => r.id)
      .slice(0, 2);

    const study = await api("POST", "/api/v1/mv/studies", studyBody());
    if (study.status === 201) {
      ids["/api/v1/mv/studies/[id]"] = [study.json().id];
      const run = await api("POST", `/api/v1/mv/studies/${study.json().id}/runs`, {});
      if (run.status === 201) ids["/api/v1/mv/reports/[id]"] = [run.json().id];
    }
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it("has a fuzz model for every API route, and real resources behind its path parameters", () => {
    expect(modelErrors).toEqual([]);
    expect(models.length).toBe(declared.length);
    expect(PARAM_SOURCES.filter((p) => !ids[p]?.length)).toEqual([]);
  });

  for (const model of models.filter((m) => m.body === "json")) {
    it(`${model.key}: refuses hostile JSON texts (deep nesting, 1e400, lone surrogates, NaN, prototype keys, invalid UTF-8) without a 5xx or a leftover`, async () => {
      const path = model.route.path.replace(
        /\[\w+\]/g,
        (segment) => ids[model.params.find((p) => p.segment === segment)!.source]?.[0] ?? "x",
      );
      const failures: string[] = [];
      const attempt = (c: Case) => check(c).catch((error: Error) => void failures.push(error.message));
      for (const b of HOSTILE_BODIES)
        await attempt(
          printable({
            method: model.route.method,
            path,
            token,
            contentType: "application/json",
            body: b.text,
            label: b.label,
          }),
        );
      for (const b of INVALID_UTF8_BODIES)
        await attempt(
          printable({
            method: model.route.method,
            path,
            token,
            contentType: "application/json",
            body: b.bytes,
            label: b.label,
          }),
        );
      expect(failures).toEqual([]);
    }, 120_000);
  }

  // Every filter key of every route with the characters PostgreSQL refuses in text parameters.
  it("answers a NUL or an encoded lone surrogate in each query parameter of each route without a 5xx", async () => {
    const failures: string[] = [];
    for (const model of models.filter(
      (m) => m.queryKeys.length > 0 && m.route.method === "GET" && m.params.length === 0,
    )) {
      for (const key of model.queryKeys) {
        for (const raw of ["%00", "a%00b", "%ED%A0%80"]) {
          await check(
            printable({
              method: "GET",
              path: `${model.route.path}?${encodeURIComponent(key)}=${raw}`,
              token,
              label: `${key}=${raw}`,
            }),
          ).catch((error: Error) => void failures.push(error.message));
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  const accepted = new Set<string>();
  for (const model of models) {
    it(
      `${model.key}: fuzzed bodies, query strings and path parameters get no 5xx, a problem for every 4xx, nothing stored on refusal`,
      async () => {
        const body: fc.Arbitrary<{
          text?: string | Uint8Array<ArrayBuffer>;
          contentType: string | null;
          label: string;
        }> =
          model.body === "json"
            ? fc
                .record({
                  b: jsonBody(model.example()),
                  contentType: fc.oneof(
                    { weight: 6, arbitrary: fc.constant("application/json") },
                    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
                    { weight: 1, arbitrary: fc.constant(null) },
                  ),
                })
                .map(({ b, contentType }) => ({ text: b.text, contentType, label: b.label }))
            : model.body === "csv"
              ? fc
                  .record({
                    csv: csvText,
                    contentType: fc.constantFrom(
                      "text/csv",
                      "text/csv",
                      "text/plain; charset=utf-8",
                      "application/json",
                      "multipart/form-data; boundary=x",
                      null,
                    ),
                  })
                  .map(({ csv, contentType }) => ({ text: csv.bytes, contentType, label: csv.label }))
              : fc
                  .option(
                    fc
                      .record({ b: jsonBody({}), contentType: fc.constantFrom(...CONTENT_TYPES) })
                      .map(({ b, contentType }) => ({ text: b.text, contentType, label: b.label })),
                    { freq: 3 },
                  )
                  .map((o) => o ?? { contentType: null, label: "no body" });
        const csvParams = fc.record(
          {
            name: fc.oneof(fc.constant("fuzz upload"), fc.string({ unit: "grapheme", maxLength: 120 })),
            tenant_id: fc.constantFrom("demo", "acme", "Bad Tenant!", ""),
            on_error: fc.constantFrom("skip", "strict", "bogus"),
          },
          { requiredKeys: [] },
        );
        const query =
          model.body === "csv"
            ? fc.oneof(
                csvParams.map((p) => new URLSearchParams(p as Record<string, string>).toString()),
                queryString(model.queryKeys),
              )
            : queryString(model.queryKeys);
        const property = fc.asyncProperty(pathArb(model), query, body.map(shortPrint), async (path, q, b) => {
          const c = printable({
            method: model.route.method,
            path: q ? `${path}?${q}` : path,
            token,
            contentType: b.contentType,
            body: b.text,
            label: b.label,
          });
          if ((await check(c)) < 300) accepted.add(model.key);
        });
        await fc.assert(property, { numRuns: model.body === "csv" ? FUZZ_RUNS * 3 : FUZZ_RUNS });
      },
      ROUTE_TIMEOUT_MS,
    );
  }

  // The batch route's other body: NDJSON, one fuzzed document (or a blank line) a line.
  it(
    "POST /api/v1/mass/batch: fuzzed NDJSON lines get no 5xx, a problem for every 4xx, nothing stored on refusal",
    async () => {
      const items = OPERATIONS.find((o) => o.method === "post" && o.path === "/api/v1/mass/batch")!.body!
        .example as unknown[];
      const line = fc.oneof(...items.map((item) => jsonBody(item)), fc.constant({ text: "", label: "blank line" }));
      const property = fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 4 }), async (lines) => {
        const body = lines.map((l) => l.text.replace(/[\r\n]/g, " ")).join("\n");
        const status = await check(
          printable({
            method: "POST",
            path: "/api/v1/mass/batch",
            token,
            contentType: "application/x-ndjson",
            body,
            label: `NDJSON: ${lines.map((l) => l.label).join("; ")}`,
          }),
        );
        if (status < 300) accepted.add("POST /api/v1/mass/batch (NDJSON)");
      });
      await fc.assert(property, { numRuns: FUZZ_RUNS * 2 });
    },
    ROUTE_TIMEOUT_MS,
  );

  it("gets past validation somewhere: fuzzing that is always refused proves little", () => {
    expect(accepted.size).toBeGreaterThan(0);
  });

  // The inputs that found each bug, answered as they must be now.
  it.each([
    ["POST", "/api/v1/mass", `{"payload":{"x":${"[".repeat(10_000)}1${"]".repeat(10_000)}}}`, 400],
    ["POST", "/api/v1/mass/generate", `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`, 400],
    ["POST", "/api/v1/mass", '{"payload":{"\\ud800":"\\udfff","site_id":"\\ud83d"}}', 422],
    ["POST", "/api/v1/tokens", '{"name":"a\\u0000b","role":"viewer","tenant_ids":[]}', 422],
    ["GET", "/api/v1/audit?to=-091507-12-10T06%3A44%3A14.290Z", undefined, 422],
    ["GET", "/api/v1/kpi?from=%2B275760-09-13T00%3A00%3A00.000Z", undefined, 422],
    ["GET", "/api/v1/mass?from=0000-12-31T23%3A59%3A59.999Z", undefined, 422],
  ])("regression: %s %s → %s", async (method, path, body, status) => {
    const c = printable({
      method,
      path,
      token,
      contentType: body === undefined ? null : "application/json",
      body,
      label: "regression",
    });
    expect(await check(c)).toBe(status);
  });

  it("regression: an empty or malformed date-time in an M&V study or an implementation → 422", async () => {
    const study = studyBody();
    study.spec.baseline.to = "";
    const cases: [string, unknown][] = [
      ["/api/v1/mv/studies", study],
      [
        `/api/v1/mv/studies/${ids["/api/v1/mv/studies/[id]"]![0]}/revisions`,
        { name: "x", spec: { ...study.spec, reporting: { from: "x".repeat(10_000), to: "2026-06-15T00:00:00Z" } } },
      ],
      [
        `/api/v1/recommendations/00000000-0000-1000-8000-000000000000/implementation`,
        { outcome: "implemented", effective_at: "", applied_value: 24 },
      ],
    ];
    for (const [path, body] of cases) {
      expect(
        await check(
          printable({
            method: "POST",
            path,
            token,
            contentType: "application/json",
            body: JSON.stringify(body),
            label: "regression",
          }),
        ),
      ).toBe(422);
    }
  });

  it("never pollutes a prototype: the server still answers sanely after the prototype-key bodies", async () => {
    const me = await api("GET", "/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.json()).not.toHaveProperty("polluted");
    expect(me.json()).not.toHaveProperty("isAdmin");
  });
});
