// Every CSV export, driven from the route list, is safe to open in a spreadsheet: text that would
// start a formula (= + - @ tab CR) reaches the exports through a site id, cluster and zone ids, a
// dataset name, a study name, an API token's name and a User-Agent, and every cell of every line a
// spreadsheet reads (M&V metadata lines included) that starts like a formula is a plain number or
// carries the leading quote. The rule, as lib/export states it: text cells get the quote; numeric
// columns stay numbers (so -1.5 is a number, never text).
import { randomBytes } from "node:crypto";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, call } from "../support/http";
import { declaredRoutes } from "../support/routes";
import { seedTenant, type TenantWorld } from "../support/tenant-world";

const SITE = "=cmd|' /C calc'!A0";
const CLUSTER = "+c01";
const ZONE = "@hall-a";
const DATASET = '-telemetry, =HYPERLINK("http://evil.example")';
const STUDY = "Setpoint raise, =cmd|' /C calc'!A0, +1, -1, @SUM(A1)";
const TOKEN = "-2+3+cmd|' /C calc'!A0";
const AGENT = "@SUM(1+1)*cmd|' /C calc'!A0";

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Cells a spreadsheet could run as a formula: starting like one (after any spaces), neither quoted nor a number. */
function unsafeCells(csv: string): string[] {
  const { data } = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  return data.flat().filter((cell) => FORMULA_START.test(cell.replace(/^ +/, "")) && !NUMBER.test(cell));
}

describe("CSV exports against formula injection", () => {
  const tenant = `csv-${randomBytes(3).toString("hex")}`;
  let w: TenantWorld;
  let reportId: string;
  let tokenSecret: string;

  beforeAll(async () => {
    w = await seedTenant(tenant, SITE, { dataset: DATASET, rename: { c01: CLUSTER, "hall-a": ZONE } });
    const verification = (await (await call(`/api/v1/mv/studies/${w.studyId}`, { token: w.analyst.token })).json()) as {
      revisions: { spec: unknown }[];
    };
    const study = await call("/api/v1/mv/studies", {
      token: w.analyst.token,
      body: { tenant_id: tenant, name: STUDY, spec: verification.revisions[0]!.spec },
    });
    expect(study.status, await study.clone().text()).toBe(201);
    const run = await call(`/api/v1/mv/studies/${((await study.json()) as { id: string }).id}/runs`, {
      token: w.analyst.token,
      method: "POST",
    });
    expect(run.status, await run.clone().text()).toBe(201);
    reportId = ((await run.json()) as { id: string }).id;
    const token = await call("/api/v1/tokens", {
      token: await adminToken(),
      body: { name: TOKEN, role: "analyst", tenant_ids: [tenant] },
    });
    tokenSecret = ((await token.json()) as { secret: string }).secret;
    // An audited call under the hostile token name and User-Agent, so both reach the audit export.
    expect(
      (
        await call(`/api/v1/kpi/export.csv?tenant_id=${tenant}`, {
          token: tokenSecret,
          headers: { "User-Agent": AGENT },
        })
      ).status,
    ).toBe(200);
  }, 240_000);

  /** Every CSV route → a request whose export holds the hostile text, and the quoted text it must show. */
  const EXPORTS: Record<string, () => { path: string; token: string; quoted: string[] }> = {
    "/api/v1/observations/export.csv": () => ({
      path: `/api/v1/observations/export.csv?tenant_id=${tenant}&period=12m`,
      token: w.analyst.token,
      quoted: [`'${SITE}`, `'${CLUSTER}`, `'${ZONE}`],
    }),
    "/api/v1/kpi/export.csv": () => ({
      path: `/api/v1/kpi/export.csv?tenant_id=${tenant}&period=12m`,
      token: w.analyst.token,
      quoted: [],
    }),
    "/api/v1/scorecard/export.csv": () => ({
      path: `/api/v1/scorecard/export.csv?tenant_id=${tenant}`,
      token: w.analyst.token,
      quoted: [`'${SITE}`],
    }),
    "/api/v1/mv/reports/[id]/export.csv": () => ({
      path: `/api/v1/mv/reports/${reportId}/export.csv`,
      token: w.analyst.token,
      quoted: [" '=cmd|' /C calc'!A0", " '+1", " '-1", " '@SUM(A1)"],
    }),
    "/api/v1/audit/export.csv": () => ({
      path: `/api/v1/audit/export.csv?tenant_id=${tenant}`,
      token: "admin",
      quoted: [`'${TOKEN}`, `'${AGENT}`],
    }),
  };

  it("knows every CSV route", () => {
    const csvRoutes = declaredRoutes()
      .filter((r) => r.method === "GET" && r.path.endsWith(".csv"))
      .map((r) => r.path);
    expect(Object.keys(EXPORTS).sort()).toEqual(csvRoutes.sort());
  });

  it("serves CSV from no other parameterless GET route", async () => {
    const others = declaredRoutes().filter(
      (r) => r.method === "GET" && !r.path.endsWith(".csv") && !r.path.includes("[") && r.auth !== "public",
    );
    const types = await Promise.all(
      others.map(
        async (r) =>
          `${r.path} ${(await call(r.path, { token: await adminToken() })).headers.get("content-type")?.split(";")[0]}`,
      ),
    );
    expect(types.filter((t) => t.endsWith("text/csv"))).toEqual([]);
  });

  for (const [route, request] of Object.entries(EXPORTS)) {
    it(`quotes every formula-like text cell of ${route}`, async () => {
      const { path, token, quoted } = request();
      const res = await call(path, { token: token === "admin" ? await adminToken() : token });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      const csv = await res.text();
      expect(unsafeCells(csv)).toEqual([]);
      for (const q of quoted) expect(csv, `${route} shows ${q}`).toContain(q);
    });
  }
});
