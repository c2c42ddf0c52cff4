// "Ask BioCore" on stored data (POST /api/v1/recommendations/ask) against a real server: a site
// known only from a CSV upload gets a recommendation through the job queue and the reference
// engine, the snapshot's fields are the hand-computed aggregates of the stored rows (a MASS reading
// over a loaded hour does not count: the dataset wins there, as on the dashboard), the ask is
// audited and idempotent for a moment, another tenant's site is 404, and bad input is one
// problem+json naming each problem.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../support/eventually";
import { baseUrl, call, expectProblem, freshIp, userWithRole } from "../support/http";

const HEADER =
  "timestamp_utc,site_id,cluster_id,zone_id,it_load_kw,facility_power_kw,p95_rack_inlet_c,hotspot_rack_count,cooling_setpoint_c,chiller_kw,fan_power_kw,cooling_valve_position_pct,carbon_intensity_gco2_per_kwh,energy_price_usd_per_kwh,batch_pct";

// Two zones of one cluster, two 15-minute intervals each. Zone z2's latest row lacks the setpoint
// and the chiller power: its earlier values are its latest of those fields.
const ROWS = [
  "2026-05-10T10:00:00Z,{site},c1,z1,900,1300,24.0,1,18.0,200,50,60,180,0.14,40",
  "2026-05-10T10:15:00Z,{site},c1,z1,950,1330,24.5,1,18.0,210,52,62,180,0.14,40",
  "2026-05-10T10:00:00Z,{site},c1,z2,880,1250,25.0,0,19.0,190,45,55,180,0.14,30",
  "2026-05-10T10:15:00Z,{site},c1,z2,890,1260,25.3,1,,,46,57,180,0.14,30",
];

type Ask = {
  job_id: string;
  mass_request_id: string;
  status: string;
  replayed: boolean;
  tenant_id: string;
  snapshot: { series: number; rows: number; first_start: string; last_end: string };
};
type Problem = { status: number; errors?: { pointer: string; detail: string; code?: string }[] };

describe("Ask BioCore on stored data", () => {
  const tenant = `ask-${randomBytes(4).toString("hex")}`;
  const other = `ask-other-${randomBytes(4).toString("hex")}`;
  const site = `csv-${randomBytes(3).toString("hex")}`;
  let analyst: string;
  let outsider: string;
  let ask: Ask;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  const window = { from: "2026-05-10T00:00:00Z", to: "2026-05-11T00:00:00Z" };

  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst", [tenant])).token;
    outsider = (await userWithRole("analyst", [other])).token;
    // A MASS reading of zone z1 at the loaded 10:15 interval (received before the upload): the
    // dataset outranks it for that hour, so its 9999 kW never reaches the snapshot.
    const mass = await call("/api/v1/mass", {
      token: analyst,
      headers: { "Idempotency-Key": `${tenant}-z1` },
      body: {
        payload: {
          tenant_id: tenant,
          site_id: site,
          cluster_id: "c1",
          zone_id: "z1",
          timestamp_utc: "2026-05-10T10:15:00Z",
          interval_seconds: 900,
          it_load_kw: 9999,
        },
      },
    });
    expect(mass.status).toBe(201);
    const csv = [HEADER, ...ROWS.map((r) => r.replaceAll("{site}", site))].join("\n") + "\n";
    const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: `ask ${site}` })}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: csv,
    });
    expect(res.status, await res.clone().text()).toBe(201);
  });
  afterAll(() => db.end());

  it("builds the snapshot from the stored rows (hand-computed), queues a job and stores BioCore's recommendation", async () => {
    const res = await call("/api/v1/recommendations/ask", { token: analyst, body: { site_id: site, ...window } });
    expect(res.status, await res.clone().text()).toBe(202);
    ask = (await res.json()) as Ask;
    expect(ask).toMatchObject({ status: "pending", replayed: false, tenant_id: tenant });
    expect(ask.snapshot).toEqual({
      series: 2,
      rows: 4,
      first_start: "2026-05-10T10:00:00.000Z",
      last_end: "2026-05-10T10:30:00.000Z",
    });
    const stored = await db.query("select kind, normalized, site_id, cluster_id from mass_request where id = $1", [
      ask.mass_request_id,
    ]);
    const doc = stored.rows[0].normalized as {
      request: { assets: Record<string, string>; signals: Record<string, Record<string, unknown>>; mode: string };
    };
    expect(stored.rows[0]).toMatchObject({ kind: "enterprise", site_id: site, cluster_id: "c1" });
    expect(doc.request.mode).toBe("shadow");
    expect(doc.request.assets).toEqual({ site_id: site, cluster_id: "c1" });
    // By hand: power and hotspots summed over the zones' latest values (z1 at 10:15, z2 at 10:15;
    // z2's setpoint and chiller from 10:00), the p95 inlet the hottest, the rest averaged.
    expect(doc.request.signals.energy).toMatchObject({
      it_load_kw: 950 + 890,
      facility_power_kw: 1330 + 1260,
      carbon_intensity_gco2_per_kwh: 180,
      energy_price_usd_per_kwh: 0.14,
    });
    expect(doc.request.signals.thermal).toEqual({ p95_rack_inlet_c: 25.3, hotspot_rack_count: 2 });
    expect(doc.request.signals.cooling).toEqual({
      cooling_setpoint_c: (18 + 19) / 2,
      chiller_kw: 210 + 190,
      fan_power_kw: 52 + 46,
      cooling_valve_position_pct: (62 + 57) / 2,
    });
    expect(doc.request.signals.workload).toEqual({ job_mix: { batch_pct: (40 + 30) / 2 } });

    const recs = await eventually("a recommendation for the ask", async () => {
      const list = (await (
        await call(`/api/v1/recommendations?mass_request_id=${ask.mass_request_id}`, { token: analyst })
      ).json()) as { items: { id: string; site_id: string; explainability: { narrative: string } }[] };
      return list.items.length > 0 ? list.items : null;
    });
    expect(recs[0]!.site_id).toBe(site);
    expect(recs[0]!.explainability.narrative.length).toBeGreaterThan(20);
    const audit = await db.query(
      "select action, tenant_id, inputs, outputs from audit_event where target_id = $1 order by occurred_at",
      [ask.mass_request_id],
    );
    expect(audit.rows[0]).toMatchObject({
      action: "recommendation.ask",
      tenant_id: tenant,
      inputs: { site_id: site, cluster_id: null, from: "2026-05-10T00:00:00.000Z", to: "2026-05-11T00:00:00.000Z" },
      outputs: { job_id: ask.job_id, series: 2, rows: 4 },
    });
    const created = await db.query(
      "select count(*)::int as n from audit_event where action = 'recommendation.create' and target_id = $1",
      [recs[0]!.id],
    );
    expect(created.rows[0].n).toBe(1);
  });

  it("answers the same ask of a moment ago with its job, without a second one", async () => {
    const res = await call("/api/v1/recommendations/ask", { token: analyst, body: { site_id: site, ...window } });
    expect(res.status).toBe(202);
    const again = (await res.json()) as Ask;
    expect(again).toMatchObject({ replayed: true, job_id: ask.job_id, mass_request_id: ask.mass_request_id });
    const jobs = await db.query("select count(*)::int as n from recommendation_job where mass_request_id = $1", [
      ask.mass_request_id,
    ]);
    expect(jobs.rows[0].n).toBe(1);
  });

  it("does not find another tenant's site (404) and writes nothing", async () => {
    const before = await db.query("select count(*)::int as n from mass_request where tenant_id = $1", [other]);
    const res = await call("/api/v1/recommendations/ask", { token: outsider, body: { site_id: site, ...window } });
    expect(res.status).toBe(404);
    expectProblem(res);
    expect(((await res.json()) as Problem).errors?.map((e) => e.pointer)).toEqual(["/site_id"]);
    const after = await db.query("select count(*)::int as n from mass_request where tenant_id = $1", [other]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it("names every problem of bad input in one problem+json", async () => {
    const bad = async (body: unknown) => {
      const res = await call("/api/v1/recommendations/ask", { token: analyst, body });
      expectProblem(res);
      return { status: res.status, problem: (await res.json()) as Problem };
    };
    const all = await bad({ site_id: "", from: "yesterday", to: "now", extra: 1 });
    expect(all.status).toBe(422);
    expect(all.problem.errors!.map((e) => e.pointer).sort()).toEqual(["", "/from", "/site_id", "/to"]);
    const inverted = await bad({ site_id: site, from: window.to, to: window.from });
    expect(inverted.problem.errors).toEqual([
      expect.objectContaining({ pointer: "/to", detail: "must be after from" }),
    ]);
    const long = await bad({ site_id: site, from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" });
    expect(long.problem.errors).toEqual([
      expect.objectContaining({ pointer: "/to", detail: expect.stringMatching(/too long: at most 31 days/) }),
    ]);
    const empty = await bad({ site_id: site, from: "2026-05-12T00:00:00Z", to: "2026-05-13T00:00:00Z" });
    expect(empty.status).toBe(422);
    expect(empty.problem.errors!.map((e) => [e.pointer, e.code])).toEqual([
      ["/from", "empty_window"],
      ["/to", "empty_window"],
    ]);
    const unknown = await bad({ site_id: `no-such-${site}`, ...window });
    expect(unknown.status).toBe(404);
  });

  it("asks once per site and cluster of a new version when the upload says ask_biocore=true (off by default)", async () => {
    const other = `${site}-auto`;
    const lines = [
      HEADER,
      ...ROWS.map((r) => r.replaceAll("{site}", other)),
      ...ROWS.slice(0, 2).map((r) => r.replaceAll("{site}", other).replace(",c1,z1,", ",c2,z1,")),
    ];
    const upload = (query: Record<string, string>, body: string) =>
      fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams(query)}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
        body,
      });
    const plain = await upload(
      { name: `plain ${other}` },
      [HEADER, ...ROWS.slice(0, 2).map((r) => r.replaceAll("{site}", `${other}-x`))].join("\n") + "\n",
    );
    expect(plain.status, await plain.clone().text()).toBe(201);
    expect(await plain.json()).not.toHaveProperty("biocore_asks");
    const res = await upload({ name: `auto ${other}`, ask_biocore: "true" }, lines.join("\n") + "\n");
    expect(res.status, await res.clone().text()).toBe(201);
    const asks = (
      (await res.json()) as {
        biocore_asks: { site_id: string; cluster_id: string; job_id: string; mass_request_id: string }[];
      }
    ).biocore_asks;
    expect(asks.map((a) => [a.site_id, a.cluster_id])).toEqual([
      [other, "c1"],
      [other, "c2"],
    ]);
    // Each over the last day of its own data: c2's data ends at 10:15 + 15 min.
    const windows = await db.query(
      "select inputs from audit_event where action = 'recommendation.ask' and target_id = any($1::text[]) order by inputs->>'cluster_id'",
      [asks.map((a) => a.mass_request_id)],
    );
    expect(windows.rows.map((r) => r.inputs)).toEqual([
      { site_id: other, cluster_id: "c1", from: "2026-05-09T10:30:00.000Z", to: "2026-05-10T10:30:00.000Z" },
      { site_id: other, cluster_id: "c2", from: "2026-05-09T10:30:00.000Z", to: "2026-05-10T10:30:00.000Z" },
    ]);
  });
});
