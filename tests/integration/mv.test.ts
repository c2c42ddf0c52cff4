// M&V studies over real HTTP on the demo data around its setpoint event: the Option B study finds
// the generator's true saving inside its 90 % band; reports are immutable and reproducible byte for
// byte; revisions stay readable; exports parse and are audited; bad studies are refused clearly;
// other tenants see nothing.
import { randomBytes } from "node:crypto";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_DEMO, demoTrueSavingKwh } from "@/lib/demo/data";
import { demoWindowCsv } from "../support/demo-window";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";

type Report = {
  id: string;
  revision: number;
  inputs_hash: string;
  results_hash: string;
  avoided_kwh: number;
  uncertainty90_kwh: number;
  pass: boolean;
  dataset_versions: { id: string; sha256: string }[];
  results: {
    model: {
      kind: string;
      balancePointC: number | null;
      coefficients: { name: string; estimate: number; stdError: number; tStat: number }[];
    };
    fit: { r2: number; adjR2: number; cvRmse: number; nmbe: number; n: number; p: number };
    acceptance: { cvRmse: { pass: boolean }; nmbe: { pass: boolean }; uncertainty68: { pass: boolean }; pass: boolean };
    savings: {
      avoidedKwh: number;
      uncertainty90: { absoluteKwh: number };
      uncertainty68Plain: { absoluteKwh: number };
      uncertainty90Plain: { absoluteKwh: number };
      avoidedCost: number | null;
      avoidedCo2eKg: number | null;
      intervals: number;
    };
    conventions?: Record<string, string>;
    sufficiency: { baseline: { coverage: number; pass: boolean }; reporting: { coverage: number; pass: boolean } };
    reportingSeries: { t: string[] };
  };
};
type Study = {
  id: string;
  current_revision: number;
  revisions: { revision: number; spec: { model: { kind: string }; conventions?: Record<string, string> } }[];
  reports: { id: string; revision: number }[];
};

const BASELINE = { from: "2026-03-01T00:00:00Z", to: "2026-06-01T00:00:00Z" };
const REPORTING = { from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z" };

describe("M&V studies", () => {
  const tenant = `mv-${randomBytes(3).toString("hex")}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  let versionId: string;
  let study: Study;
  let report: Report;
  const spec = () => ({
    scope: { siteId: "mad1" },
    boundary: "cooling",
    source: { datasetVersionIds: [versionId], massUntil: null },
    baseline: BASELINE,
    reporting: REPORTING,
    granularity: "daily",
    model: { kind: "ols_it_cdd", balancePointC: null },
  });

  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst", [tenant])).token;
    const { csv } = demoWindowCsv(["mad1"], BASELINE.from, REPORTING.to);
    const res = await fetch(
      `${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: "demo mad1", tenant_id: tenant })}`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
        body: csv,
      },
    );
    expect(res.status).toBe(201);
    versionId = ((await res.json()) as { version: { id: string } }).version.id;
  }, 60_000);
  afterAll(async () => {
    await db.end();
  });

  it("creates a study (revision 1, audited)", async () => {
    const res = await call("/api/v1/mv/studies", {
      token: analyst,
      body: { tenant_id: tenant, name: "Setpoint raise, mad1, Option B", spec: spec() },
    });
    expect(res.status).toBe(201);
    study = (await res.json()) as Study;
    expect(study.current_revision).toBe(1);
    const audit = await db.query("select action from audit_event where target_id = $1", [study.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(["mv.study.create"]);
  });

  it("finds the demo's true saving inside its 90 % band, with a band that excludes zero", async () => {
    const res = await call(`/api/v1/mv/studies/${study.id}/runs`, { token: analyst, method: "POST" });
    expect(res.status).toBe(201);
    report = (await res.json()) as Report;
    const s = report.results.savings;
    const truth = demoTrueSavingKwh(DEFAULT_DEMO, {
      siteIds: ["mad1"],
      from: new Date(REPORTING.from),
      to: new Date(REPORTING.to),
      boundary: "cooling",
    });
    expect(truth).toBeGreaterThan(0);
    expect(s.avoidedKwh - s.uncertainty90.absoluteKwh).toBeGreaterThan(0);
    expect(Math.abs(s.avoidedKwh - truth)).toBeLessThanOrEqual(s.uncertainty90.absoluteKwh);
    expect(report.results.model.balancePointC).not.toBeNull();
    expect(report.results.acceptance.pass).toBe(true);
    expect(report.results.sufficiency.reporting.coverage).toBe(1);
    expect(s.intervals).toBe(30);
    expect(s.avoidedCost).toBeGreaterThan(0);
    expect(s.avoidedCo2eKg).toBeGreaterThan(0);
    // A study created without conventions stores the defaults and states them in its results.
    expect(study.revisions[0]!.spec).toMatchObject({
      conventions: {
        degreeDays: "hourly",
        autocorrelation: "consecutive",
        uncertaintyDf: "n_effective_minus_p",
        priceWeighting: "boundary_energy",
      },
    });
    expect(report.results.conventions).toEqual({
      degreeDays: "hourly",
      autocorrelation: "consecutive",
      uncertaintyDf: "n_effective_minus_p",
      priceWeighting: "boundary_energy",
    });
    expect(s.uncertainty90Plain.absoluteKwh).toBeGreaterThan(0);
    expect(s.uncertainty68Plain.absoluteKwh).toBeLessThan(s.uncertainty90Plain.absoluteKwh);
    expect(report.dataset_versions.map((v) => v.id)).toEqual([versionId]);
    const audit = await db.query("select action, outputs from audit_event where target_id = $1", [report.id]);
    expect(audit.rows[0]).toMatchObject({ action: "mv.run", outputs: { results_hash: report.results_hash } });
  });

  it("the default study (model auto, whole facility, daily) finds the true saving inside its calibrated 90 % band, and the PDF says how the model was chosen", async () => {
    const created = (await (
      await call("/api/v1/mv/studies", {
        token: analyst,
        body: {
          tenant_id: tenant,
          name: "Setpoint raise, mad1, Option C, auto",
          spec: { ...spec(), boundary: "facility", model: { kind: "auto" } },
        },
      })
    ).json()) as Study;
    const res = await call(`/api/v1/mv/studies/${created.id}/runs`, { token: analyst, method: "POST" });
    expect(res.status).toBe(201);
    const auto = (await res.json()) as Report & {
      results: {
        selection: { chosen: string; candidates: { kind: string; cvRmse: number | null }[] };
        savings: { calibrated90: { absoluteKwh: number; validated: boolean } };
      };
    };
    const s = auto.results.savings;
    const truth = demoTrueSavingKwh(DEFAULT_DEMO, {
      siteIds: ["mad1"],
      from: new Date(REPORTING.from),
      to: new Date(REPORTING.to),
      boundary: "facility",
    });
    expect(auto.results.selection.candidates.map((c) => c.kind)).toEqual(["mean", "ols_it", "ols_it_cdd", "dc_lift"]);
    expect(auto.results.model.kind).toBe(auto.results.selection.chosen);
    expect(s.calibrated90.validated).toBe(true);
    expect(s.calibrated90.absoluteKwh).toBeGreaterThanOrEqual(s.uncertainty90.absoluteKwh);
    expect(Math.abs(s.avoidedKwh - truth)).toBeLessThanOrEqual(s.calibrated90.absoluteKwh);
    expect(s.avoidedKwh - s.calibrated90.absoluteKwh).toBeGreaterThan(0);
    // The report lists (study page, GET /studies/{id}) carry the calibrated band beside Guideline 14's.
    const listed = (
      (await (await call(`/api/v1/mv/studies/${created.id}`, { token: analyst })).json()) as {
        reports: { id: string; calibrated90_kwh: number | null; uncertainty90_kwh: number }[];
      }
    ).reports.find((r) => r.id === auto.id)!;
    expect(listed.calibrated90_kwh).toBe(s.calibrated90.absoluteKwh);
    expect(listed.uncertainty90_kwh).toBe(s.uncertainty90.absoluteKwh);
    // The cumulative band drawn and exported is the calibrated one; after the last interval it is the period's band.
    const csv = Papa.parse<Record<string, string>>(
      (await (await call(`/api/v1/mv/reports/${auto.id}/export.csv`, { token: analyst })).text()).replace(
        /^\uFEFF/,
        "",
      ),
      { header: true, comments: "#", skipEmptyLines: true },
    );
    const last = csv.data.filter((r) => r.period === "reporting" && r.excluded !== "true").at(-1)!;
    expect(Number(last.cumulative_calibrated90_kwh)).toBeCloseTo(s.calibrated90.absoluteKwh, 6);
    expect(Number(last.cumulative_calibrated90_kwh)).toBeGreaterThan(Number(last.cumulative_uncertainty90_kwh));
    const pdf = await pdfText(
      new Uint8Array(await (await call(`/api/v1/mv/reports/${auto.id}/report.pdf`, { token: analyst })).arrayBuffer()),
    );
    expect(pdf).toContain("Model selection");
    expect(pdf).toContain("Calibrated");
  });

  it("reproduces a report byte for byte, and keeps reports immutable", async () => {
    const again = (await (
      await call(`/api/v1/mv/studies/${study.id}/runs`, { token: analyst, method: "POST" })
    ).json()) as Report;
    expect(again.id).not.toBe(report.id);
    expect(again.inputs_hash).toBe(report.inputs_hash);
    expect(again.results_hash).toBe(report.results_hash);
    const stored = await db.query("select id, results from mv_report where id = any($1::uuid[])", [
      [report.id, again.id],
    ]);
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows[0].results).toBe(stored.rows[1].results);
    await expect(db.query("update mv_report set avoided_kwh = 0 where id = $1", [report.id])).rejects.toThrow(
      /immutable/,
    );
    await expect(db.query("delete from mv_study_revision where study_id = $1", [study.id])).rejects.toThrow(
      /immutable/,
    );
  });

  it("adds a revision on edit and keeps the old one readable and runnable", async () => {
    const res = await call(`/api/v1/mv/studies/${study.id}/revisions`, {
      token: analyst,
      body: { note: "hourly TOWT", spec: { ...spec(), granularity: "hourly", model: { kind: "towt" } } },
    });
    expect(res.status).toBe(201);
    const revised = (await res.json()) as Study;
    expect(revised.current_revision).toBe(2);
    expect(revised.revisions.map((r) => [r.revision, r.spec.model.kind])).toEqual([
      [2, "towt"],
      [1, "ols_it_cdd"],
    ]);
    const towt = (await (
      await call(`/api/v1/mv/studies/${study.id}/runs`, { token: analyst, method: "POST" })
    ).json()) as Report;
    expect(towt.revision).toBe(2);
    expect(towt.results.model.kind).toBe("towt");
    expect(towt.results.savings.intervals).toBe(30 * 24);
    const old = (await (
      await call(`/api/v1/mv/studies/${study.id}/runs`, { token: analyst, body: { revision: 1 } })
    ).json()) as Report;
    expect(old.revision).toBe(1);
    expect(old.results_hash).toBe(report.results_hash);
  });

  it("exports CSV with one row per interval and PDF with the avoided energy (both audited)", async () => {
    const csvRes = await call(`/api/v1/mv/reports/${report.id}/export.csv`, { token: analyst });
    expect(csvRes.status).toBe(200);
    const text = await csvRes.text();
    expect(text).toContain(`# results_sha256: ${report.results_hash}`);
    expect(text).toContain(
      "# conventions: degreeDays=hourly; autocorrelation=consecutive; uncertaintyDf=n_effective_minus_p; priceWeighting=boundary_energy\r\n",
    );
    expect(text).toMatch(/# uncertainty90_plain_kwh: \d/);
    const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), {
      header: true,
      comments: "#",
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    const reporting = parsed.data.filter((r) => r.period === "reporting");
    expect(reporting).toHaveLength(30);
    expect(reporting.reduce((s, r) => s + Number(r.savings_kwh), 0)).toBeCloseTo(report.avoided_kwh, 3);

    const pdfRes = await call(`/api/v1/mv/reports/${report.id}/report.pdf`, { token: analyst });
    expect(pdfRes.status).toBe(200);
    const bytes = new Uint8Array(await pdfRes.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const pdf = await pdfText(bytes);
    expect(pdf).toContain(`${report.avoided_kwh.toLocaleString("en", { maximumFractionDigits: 0 })} kWh`);
    // A 64-character hash may wrap inside its table cell.
    expect(pdf.replace(/\s+/g, "")).toContain(report.results_hash);
    expect(pdf).toContain("Conventions");
    expect(pdf).toContain("from hourly exceedances");
    const audit = await db.query(
      "select action from audit_event where target_id = $1 and action like 'export.%' order by seq",
      [report.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["export.csv", "export.pdf"]);
  });

  it("refuses a study that cannot be computed, naming the reason (and audits the refusal)", async () => {
    const tiny = { ...spec(), baseline: { from: "2026-05-30T00:00:00Z", to: "2026-06-01T00:00:00Z" } };
    const created = (await (
      await call("/api/v1/mv/studies", {
        token: analyst,
        body: { tenant_id: tenant, name: "Two-day baseline", spec: tiny },
      })
    ).json()) as Study;
    const res = await call(`/api/v1/mv/studies/${created.id}/runs`, { token: analyst, method: "POST" });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { detail: string; errors: { code: string }[] };
    expect(problem.detail).toMatch(/2 data points cannot fit a model of 3 parameters/);
    expect(problem.errors[0]!.code).toBe("too_few_points");
    const audit = await db.query("select result from audit_event where target_id = $1 and action = 'mv.run'", [
      created.id,
    ]);
    expect(audit.rows.map((r) => r.result)).toEqual(["error"]);
    expect(
      (await db.query("select count(*)::int as n from mv_report where study_id = $1", [created.id])).rows[0].n,
    ).toBe(0);
  });

  it("names every problem of an invalid specification and stores nothing", async () => {
    const before = (await db.query("select count(*)::int as n from mv_study")).rows[0].n;
    const res = await call("/api/v1/mv/studies", {
      token: analyst,
      body: {
        tenant_id: tenant,
        name: "bad",
        spec: {
          ...spec(),
          boundary: "chiller",
          reporting: { from: "2026-05-15T06:00:00Z", to: "2026-07-01T00:00:00Z" },
          model: { kind: "towt" },
        },
      },
    });
    expect(res.status).toBe(422);
    const pointers = ((await res.json()) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort();
    expect(pointers).toEqual(expect.arrayContaining(["/spec/boundary"]));
    expect((await db.query("select count(*)::int as n from mv_study")).rows[0].n).toBe(before);
  });

  it("refuses dataset versions of another tenant", async () => {
    const res = await call("/api/v1/mv/studies", {
      token: analyst,
      body: {
        tenant_id: tenant,
        name: "foreign",
        spec: { ...spec(), source: { datasetVersionIds: ["00000000-0000-4000-8000-000000000000"], massUntil: null } },
      },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { pointer: string }[] }).errors[0]!.pointer).toBe(
      "/spec/source/datasetVersionIds/0",
    );
  });

  it("shows nothing of it to another tenant", async () => {
    const outsider = (await userWithRole("viewer", ["someone-else"])).token;
    expect((await call(`/api/v1/mv/studies/${study.id}`, { token: outsider })).status).toBe(404);
    expect((await call(`/api/v1/mv/reports/${report.id}`, { token: outsider })).status).toBe(404);
    const list = (await (await call("/api/v1/mv/studies", { token: outsider })).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    const outsiderAnalyst = (await userWithRole("analyst", ["someone-else"])).token;
    expect(
      (
        await call("/api/v1/mv/studies", {
          token: outsiderAnalyst,
          body: { tenant_id: tenant, name: "x", spec: spec() },
        })
      ).status,
    ).toBe(403);
  });
});
