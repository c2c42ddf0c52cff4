// Predicted vs verified over real HTTP: implementing the demo's setpoint recommendation creates and
// runs a cooling-boundary study on its scope that confirms the saving; re-running it gives the same
// bytes and the pass adds no report for unchanged data; an overlapping implementation is refused; one
// whose reporting period has no data stays inconclusive; rejecting is recorded once; all audited.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import Papa from "papaparse";
import { call, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { demoRecommendation, uploadDemoWindow, type Rec } from "../support/verification";

type View = {
  id: string;
  outcome: string;
  boundary: string;
  scope: { site_id: string; cluster_id: string | null };
  baseline: { from: string; to: string };
  reporting: { from: string; to: string };
  verification: { status: string; note: string; study_id: string; reports: number; latest_report_id: string | null };
  comparison: {
    verdict: string;
    position: string | null;
    reasons: string[];
    hours: number;
    predicted: { energyKwh: number; co2eKg: number; cost: number | null };
    verified: {
      reportId: string;
      energyKwh: number;
      energyU90Kwh: number;
      cost: number | null;
      co2eKg: number | null;
      sufficient: boolean;
    } | null;
  };
};

describe("predicted vs verified", () => {
  const tenant = `verify-${randomBytes(3).toString("hex")}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  let viewer: string;
  let rec: Rec;
  let view: View;

  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst", [tenant])).token;
    viewer = (await userWithRole("viewer", [tenant])).token;
    await uploadDemoWindow(analyst, tenant, "2026-05-01T00:00:00Z", "2026-07-01T00:00:00Z");
    rec = await demoRecommendation(analyst, tenant);
  }, 120_000);
  afterAll(async () => {
    await db.end();
  });

  it("refuses a viewer and a body without an effective time", async () => {
    expect(
      (
        await call(`/api/v1/recommendations/${rec.id}/implementation`, {
          token: viewer,
          body: { outcome: "rejected", reason: "x" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(`/api/v1/recommendations/${rec.id}/implementation`, {
          token: analyst,
          body: { outcome: "implemented" },
        })
      ).status,
    ).toBe(422);
    expect((await call(`/api/v1/recommendations/${rec.id}/implementation`, { token: analyst })).status).toBe(404);
  });

  const openOf = async (q: string) =>
    (
      (await (await call(`/api/v1/recommendations?${q}`, { token: analyst })).json()) as {
        open: { count: number; saving_kwh_24h: number };
      }
    ).open;
  const statusOf = async (id: string) =>
    ((await (await call(`/api/v1/recommendations/${id}`, { token: analyst })).json()) as { status: string }).status;

  it("records the implementation and verifies it on the cooling boundary of the recommendation's scope: confirmed", async () => {
    // Issue 17 item 4: open savings follow the scope and stop counting a recommendation once implemented.
    const before = await openOf(`tenant_id=${tenant}&site_id=mad1`);
    expect(rec.actionable).toBe(true);
    expect(before.count).toBeGreaterThanOrEqual(1);
    expect(await openOf(`tenant_id=${tenant}&site_id=no-such-site`)).toEqual({ count: 0, saving_kwh_24h: 0 });
    expect(await statusOf(rec.id)).toBe("new");
    const res = await call(`/api/v1/recommendations/${rec.id}/implementation`, {
      token: analyst,
      body: {
        outcome: "implemented",
        effective_at: "2026-06-01T00:00:00Z",
        applied_value: 24,
        note: "raised by the facility team",
      },
    });
    expect(res.status).toBe(201);
    view = (await res.json()) as View;
    expect(view.boundary).toBe("cooling");
    expect(view.scope).toMatchObject({ site_id: "mad1", cluster_id: "c01" });
    expect(view.baseline).toEqual({ from: "2026-05-04T00:00:00.000Z", to: "2026-06-01T00:00:00.000Z" });
    expect(view.reporting).toEqual({ from: "2026-06-01T00:00:00.000Z", to: "2026-06-29T00:00:00.000Z" });
    // The reporting period is over and its data complete: one final report.
    expect(view.verification).toMatchObject({ status: "closed", reports: 1 });
    const c = view.comparison;
    expect(c.verified?.sufficient).toBe(true);
    expect(c.hours).toBe(28 * 24);
    expect(c.predicted.energyKwh).toBeCloseTo(-rec.expected_impact.facility_power_kw_delta * 28 * 24, 6);
    expect(c.verified!.energyKwh - c.verified!.energyU90Kwh).toBeGreaterThan(0);
    expect(c.verdict).toBe("confirmed");
    expect(["inside", "above", "below"]).toContain(c.position);
    expect(c.verified!.cost).not.toBeNull();
    expect(c.predicted.cost).not.toBeNull();

    const study = (await (
      await call(`/api/v1/mv/studies/${view.verification.study_id}`, { token: analyst })
    ).json()) as {
      revisions: {
        spec: {
          boundary: string;
          scope: object;
          model: { kind: string };
          granularity: string;
          source: { massUntil: string };
        };
      }[];
    };
    expect(study.revisions[0]!.spec).toMatchObject({
      boundary: "cooling",
      scope: { siteId: "mad1", clusterId: "c01", zoneId: "hall-a" },
      granularity: "daily",
      model: { kind: "auto" },
    });
    expect(study.revisions[0]!.spec.source.massUntil).toBe("2026-06-29T00:00:00.000Z");

    const audit = await db.query("select action, actor_type from audit_event where target_id = $1", [rec.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(["recommendation.create", "recommendation.implement", "verification.closed"]),
    );

    // The verification closed with a final report: the recommendation reads "verified", no longer open.
    expect(await statusOf(rec.id)).toBe("verified");
    const after = await openOf(`tenant_id=${tenant}&site_id=mad1`);
    expect(after.count).toBe(before.count - 1);
    expect(after.saving_kwh_24h).toBeCloseTo(before.saving_kwh_24h + rec.energy_kwh_24h, 6);
  });

  it("re-running the verification study with unchanged data gives byte-identical results, and a check adds no report", async () => {
    const res = await call(`/api/v1/mv/studies/${view.verification.study_id}/runs`, { token: analyst, method: "POST" });
    expect(res.status).toBe(201);
    const rerun = (await res.json()) as { id: string; results_hash: string; inputs_hash: string };
    const first = (await (
      await call(`/api/v1/mv/reports/${view.verification.latest_report_id}`, { token: analyst })
    ).json()) as { results_hash: string; inputs_hash: string; results: unknown };
    expect(rerun.results_hash).toBe(first.results_hash);
    expect(rerun.inputs_hash).toBe(first.inputs_hash);
    const { rows } = await db.query("select results from mv_report where study_id = $1", [view.verification.study_id]);
    expect(new Set(rows.map((r) => r.results)).size).toBe(1);

    const checked = await call(`/api/v1/recommendations/${rec.id}/verification`, { token: analyst, method: "POST" });
    expect(checked.status).toBe(200);
    expect(((await checked.json()) as View).comparison.verdict).toBe("confirmed");
    const count = await db.query(
      "select count(*)::int as n from mv_report where study_id = $1 and created_by_type = 'system'",
      [view.verification.study_id],
    );
    expect(count.rows[0].n).toBe(1);
  });

  it("refuses a second record, and an overlapping implementation on the same scope (409)", async () => {
    expect(
      (
        await call(`/api/v1/recommendations/${rec.id}/implementation`, {
          token: analyst,
          body: { outcome: "rejected", reason: "changed our mind" },
        })
      ).status,
    ).toBe(409);
    const other = await demoRecommendation(analyst, tenant, "-b");
    const res = await call(`/api/v1/recommendations/${other.id}/implementation`, {
      token: analyst,
      body: { outcome: "implemented", effective_at: "2026-06-20T00:00:00Z", applied_value: 25 },
    });
    expect(res.status).toBe(409);
    const problem = (await res.json()) as { detail: string; errors: { code: string }[] };
    expect(problem.detail).toContain("Overlapping implementation");
    expect(problem.errors[0]!.code).toBe("overlapping_implementation");
    const rows = await db.query(
      "select count(*)::int as n from recommendation_implementation where recommendation_id = $1",
      [other.id],
    );
    expect(rows.rows[0].n).toBe(0);
  }, 60_000);

  it("keeps an implementation whose reporting period has no data inconclusive, with no report", async () => {
    const later = await demoRecommendation(analyst, tenant, "-c");
    const res = await call(`/api/v1/recommendations/${later.id}/implementation`, {
      token: analyst,
      body: { outcome: "implemented", effective_at: "2026-07-27T06:00:00Z", applied_value: 24, baseline_days: 14 },
    });
    expect(res.status).toBe(201);
    const v = (await res.json()) as View;
    // A mid-day change leaves its day out of both periods.
    expect(v.baseline).toEqual({ from: "2026-07-13T00:00:00.000Z", to: "2026-07-27T00:00:00.000Z" });
    expect(v.reporting.from).toBe("2026-07-28T00:00:00.000Z");
    expect(v.verification.reports).toBe(0);
    expect(["waiting", "failed"]).toContain(v.verification.status);
    expect(v.comparison.verdict).toBe("inconclusive");
    expect(v.comparison.verified).toBeNull();
    expect(await statusOf(later.id)).toBe("implemented");
  }, 60_000);

  it("records a rejection with its reason (audited)", async () => {
    const r = await demoRecommendation(analyst, tenant, "-d");
    const res = await call(`/api/v1/recommendations/${r.id}/implementation`, {
      token: analyst,
      body: { outcome: "rejected", reason: "Change freeze until Q3" },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      outcome: "rejected",
      reason: "Change freeze until Q3",
      verification: null,
      comparison: null,
    });
    const audit = await db.query(
      "select action from audit_event where target_id = $1 and action = 'recommendation.reject'",
      [r.id],
    );
    expect(audit.rowCount).toBe(1);
    expect(await statusOf(r.id)).toBe("rejected");
  }, 60_000);

  it("scores the engine: per engine and category, CSV and PDF exports audited", async () => {
    const q = `tenant_id=${tenant}`;
    const res = await call(`/api/v1/scorecard?${q}`, { token: viewer });
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      total: {
        implemented: number;
        verified: number;
        confirmed: number;
        predictedKwh: number;
        verifiedKwh: number;
        verifiedU90Kwh: number;
      };
      groups: { engine: string; category: string; implemented: number }[];
      points: unknown[];
      misses: { recommendationId: string }[];
      engines: string[];
    };
    expect(s.total).toMatchObject({ implemented: 2, verified: 1, confirmed: 1 });
    expect(s.total.verifiedKwh).toBeCloseTo(view.comparison.verified!.energyKwh, 6);
    expect(s.total.verifiedU90Kwh).toBeCloseTo(view.comparison.verified!.energyU90Kwh, 6);
    expect(s.total.predictedKwh).toBeCloseTo(view.comparison.predicted.energyKwh, 6);
    expect(s.groups).toEqual([
      expect.objectContaining({ engine: "pilot-reference 1.0.0", category: "cooling_setpoint", implemented: 2 }),
    ]);
    expect(s.misses.map((m) => m.recommendationId)).toEqual([rec.id]);
    const none = (await (await call(`/api/v1/scorecard?${q}&engine=other%201`, { token: viewer })).json()) as {
      total: { implemented: number };
    };
    expect(none.total.implemented).toBe(0);
    expect(
      (
        (await call(`/api/v1/scorecard?${q}&from=2026-07-01`, { token: viewer }).then((r) => r.json())) as {
          total: { implemented: number };
        }
      ).total.implemented,
    ).toBe(1);

    expect((await call(`/api/v1/scorecard/export.csv?${q}`, { token: viewer })).status).toBe(403);
    const csv = await call(`/api/v1/scorecard/export.csv?${q}`, { token: analyst });
    expect(csv.status).toBe(200);
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.recommendation_id === rec.id)).toMatchObject({
      verdict: "confirmed",
      boundary: "cooling",
    });
    const pdf = await call(`/api/v1/scorecard/report.pdf?${q}`, { token: analyst });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain("BioCore scorecard");
    expect(text).toContain(Math.round(view.comparison.verified!.energyKwh).toLocaleString("en"));
    const audit = await db.query("select action from audit_event where target_type = 'scorecard' and tenant_id = $1", [
      tenant,
    ]);
    expect(audit.rows.map((r) => r.action).sort()).toEqual(["export.csv", "export.pdf"]);
  });
});
