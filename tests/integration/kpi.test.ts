// KPIs and trends from stored observations: hand-computed values on a tiny dataset, the previous
// period, the source and version filters, and tenant scope.
import { randomBytes } from "node:crypto";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pdfText } from "../support/pdf-text";
import { adminToken, apiTokenWithRole, baseUrl, call, freshIp, userWithRole } from "../support/http";

const HEADER =
  "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw,chiller_kw,fan_power_kw,energy_price_usd_per_kwh,carbon_intensity_gco2_per_kwh,avg_rack_inlet_c,p95_rack_inlet_c,hotspot_rack_count";

/** Two clusters, four 15-minute intervals each, on 2026-04-01 from 00:00; a week earlier half the load. */
function tinyCsv(scale = 1, day = "2026-04-01"): string {
  const lines = [HEADER];
  for (let i = 0; i < 4; i++) {
    const t = new Date(Date.parse(`${day}T00:00:00Z`) + i * 900_000).toISOString();
    lines.push(`${t},mad1,c01,${100 * scale},${150 * scale},30,5,0.2,300,22,24,0`);
    lines.push(`${t},mad1,c02,${200 * scale},${260 * scale},40,6,0.2,300,23,${i === 3 ? 28 : 25},${i === 3 ? 2 : 0}`);
  }
  return `${lines.join("\n")}\n`;
}

async function upload(token: string, body: string, query: Record<string, string>) {
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { dataset: { id: string }; version: { id: string } };
}

type Overview = {
  period: { from: string; to: string };
  kpis: Record<string, number | string | null>;
  previous: Record<string, number | null>;
  change: Record<string, number | null>;
};

describe("KPIs", () => {
  const tenant = `kpi-${randomBytes(3).toString("hex")}`;
  let analyst: string;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  afterAll(() => db.end());
  const window = { period: "custom", from: "2026-04-01T00:00:00Z", to: "2026-04-01T01:00:00Z" };
  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst")).token;
    await upload(analyst, tinyCsv(), { name: "tiny", tenant_id: tenant });
    await upload(analyst, tinyCsv(0.5, "2026-03-31"), { name: "tiny-before", tenant_id: tenant });
  });

  it("computes energy-weighted KPIs from the stored observations", async () => {
    const res = await call(`/api/v1/kpi?${new URLSearchParams({ ...window, tenant_id: tenant })}`, { token: analyst });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Overview;
    const k = body.kpis;
    // facility (150 + 260) kW × 1 h = 410 kWh; IT 300 kWh; cooling (35 + 46) kW × 1 h = 81 kWh.
    expect(k.facility_kwh).toBeCloseTo(410, 6);
    expect(k.it_kwh).toBeCloseTo(300, 6);
    expect(k.pue).toBeCloseTo(410 / 300, 9);
    expect(k.cooling_kwh).toBeCloseTo(81, 6);
    expect(k.cooling_share).toBeCloseTo(81 / 410, 9);
    expect(k.cost).toBeCloseTo(82, 6);
    expect(k.currency).toBe("USD");
    expect(k.co2e_kg).toBeCloseTo(123, 6);
    expect(k.avg_inlet_c).toBeCloseTo(22.5, 9);
    expect(k.p95_inlet_c).toBeCloseTo(27.55, 6);
    expect(k.p95_inlet_worst_zone).toBe("mad1 / c02");
    expect(k.hotspot_hours).toBeCloseTo(0.25, 9);
    expect(k.coverage).toBe(1);
    expect(k).toMatchObject({ rows: 8, series: 2 });
  });

  it("compares with the previous equal period", async () => {
    const res = await call(
      `/api/v1/kpi?${new URLSearchParams({ period: "custom", from: "2026-03-31T00:00:00Z", to: "2026-04-01T00:00:00Z", tenant_id: tenant })}`,
      { token: analyst },
    );
    const prior = (await res.json()) as Overview;
    // The day before holds the half-load copy; the day before that nothing.
    expect(prior.kpis.it_kwh).toBeCloseTo(150, 6);
    expect(prior.kpis.coverage).toBeCloseTo(4 / 96, 9);
    expect(prior.previous.it_kwh).toBeNull();
    expect(prior.previous.hotspot_hours).toBeNull();
    const full = (await (
      await call(
        `/api/v1/kpi?${new URLSearchParams({ period: "custom", from: "2026-04-01T00:00:00Z", to: "2026-04-02T00:00:00Z", tenant_id: tenant })}`,
        { token: analyst },
      )
    ).json()) as Overview;
    expect(full.previous.it_kwh).toBeCloseTo(150, 6);
    expect(full.change.it_kwh).toBeCloseTo(1, 9);
    // Issue 17 item 5: equal coverage (4 of 96 intervals each) compares sums, with IT energy neutral;
    // averages need half the intervals, so the inlet temperatures are not compared, and say why.
    const cmp = (
      full as unknown as {
        comparison: Record<string, { kind: string; unit: string | null; tone: string; text: string }>;
      }
    ).comparison;
    expect(cmp.it_kwh).toMatchObject({ kind: "relative", tone: "neutral" });
    expect(cmp.p95_inlet_c).toMatchObject({
      kind: "none",
      text: "not compared: coverage 4.2 % vs 4.2 % (both need ≥ 50 %)",
    });
    expect(full.change.p95_inlet_c).toBeNull();
  });

  it("anchors a preset period at the end of the data", async () => {
    const body = (await (
      await call(`/api/v1/kpi?${new URLSearchParams({ period: "24h", tenant_id: tenant })}`, { token: analyst })
    ).json()) as Overview;
    expect(body.period).toEqual({ from: "2026-03-31T01:00:00.000Z", to: "2026-04-01T01:00:00.000Z" });
    // 24 h back from 01:00 leaves out the day before's 00:00–01:00.
    expect(body.kpis.it_kwh).toBeCloseTo(300, 6);
  });

  // Issue 17 item 2: a preset ended at the end of *all* the tenant's data, so a site whose data ends
  // a day earlier showed "No observations" for the last 24 hours.
  it("ends a preset period where the chosen site's data ends", async () => {
    const t = `kpi-ends-${randomBytes(3).toString("hex")}`;
    const lines = [HEADER];
    for (let h = 0; h < 48; h++) {
      const at = new Date(Date.parse("2026-04-01T00:00:00Z") + h * 3_600_000).toISOString();
      lines.push(`${at},lon1,c01,100,150,30,5,0.2,300,22,24,0`);
      if (h < 24) lines.push(`${at},par1,c01,50,80,20,4,0.2,300,22,24,0`);
    }
    await upload(analyst, `${lines.join("\n")}\n`, { name: "two ends", tenant_id: t });
    const kpi = async (q: Record<string, string>) =>
      (await (
        await call(`/api/v1/kpi?${new URLSearchParams({ period: "24h", tenant_id: t, ...q })}`, { token: analyst })
      ).json()) as Overview & { data_end: string };
    const all = await kpi({});
    expect(all.period.to).toBe("2026-04-03T00:00:00.000Z");
    const par = await kpi({ site_id: "par1" });
    expect(par.period).toEqual({ from: "2026-04-01T00:00:00.000Z", to: "2026-04-02T00:00:00.000Z" });
    expect(par.data_end).toBe("2026-04-02T00:00:00.000Z");
    expect(par.kpis.rows).toBe(24);
    expect(par.kpis.coverage).toBeCloseTo(1, 9);
    expect(par.kpis.it_kwh).toBeCloseTo(24 * 50, 6);
    const lon = await kpi({ site_id: "lon1", cluster_id: "c01" });
    expect(lon.period.to).toBe("2026-04-03T00:00:00.000Z");
    expect(await kpi({ site_id: "nowhere" })).toMatchObject({ data_end: null });
  });

  // The observation table is partitioned by month, and a chosen scope's data end reads raw rows of
  // one hour only (so that PostgreSQL visits one month, not all of them): it must stay exact when
  // the scope's data spans several months, its last hour starts a month, and other sites' data and
  // a deleted MASS reading lie in later months.
  it("ends a chosen site's data exactly when its observations span several monthly partitions, for CSV and MASS", async () => {
    const t = `kpi-months-${randomBytes(3).toString("hex")}`;
    const lines = ["timestamp_utc,site_id,cluster_id,interval_seconds,it_load_kw,facility_power_kw"];
    // par1/c01: January, February's last quarter-hour, then two readings in March's first hour.
    for (const at of ["2026-01-15T10:00:00Z", "2026-02-28T23:45:00Z", "2026-03-01T00:00:00Z", "2026-03-01T00:15:00Z"])
      lines.push(`${at},par1,c01,900,50,80`);
    lines.push("2026-02-10T06:00:00Z,par1,c02,900,50,80");
    lines.push("2026-04-20T12:00:00Z,lon1,c01,900,100,150");
    await upload(analyst, `${lines.join("\n")}\n`, { name: "months", tenant_id: t });
    // MASS for par1/c01: February, the end of March, and a May reading deleted again.
    const ids: string[] = [];
    for (const [i, at] of ["2026-02-03T07:00:00Z", "2026-03-31T23:30:00Z", "2026-05-02T00:00:00Z"].entries()) {
      const res = await call("/api/v1/mass", {
        token: analyst,
        headers: { "Idempotency-Key": `${t}-${i}` },
        body: {
          payload: {
            tenant_id: t,
            site_id: "par1",
            cluster_id: "c01",
            timestamp_utc: at,
            interval_seconds: 900,
            it_load_kw: 40,
            facility_power_kw: 60,
          },
        },
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    expect((await call(`/api/v1/mass/${ids[2]}`, { method: "DELETE", token: await adminToken() })).status).toBe(204);
    const kpi = async (q: Record<string, string>) =>
      (await (
        await call(`/api/v1/kpi?${new URLSearchParams({ period: "24h", tenant_id: t, ...q })}`, { token: analyst })
      ).json()) as Overview & { data_end: string | null };
    // Without an asset filter: every live source of the tenant (lon1's April reading).
    expect((await kpi({})).data_end).toBe("2026-04-20T12:15:00.000Z");
    const csv = await kpi({ site_id: "par1", source: "csv" });
    expect(csv.data_end).toBe("2026-03-01T00:30:00.000Z");
    // The last 24 hours cross from February into March: 23:45, 00:00 and 00:15.
    expect(csv.period).toEqual({ from: "2026-02-28T00:30:00.000Z", to: "2026-03-01T00:30:00.000Z" });
    expect(csv.kpis.rows).toBe(3);
    expect((await kpi({ site_id: "par1", cluster_id: "c02", source: "csv" })).data_end).toBe(
      "2026-02-10T06:15:00.000Z",
    );
    expect((await kpi({ site_id: "par1", cluster_id: "c01", source: "mass" })).data_end).toBe(
      "2026-03-31T23:45:00.000Z",
    );
    const all = await kpi({ site_id: "par1" });
    expect(all.data_end).toBe("2026-03-31T23:45:00.000Z");
    expect(all.kpis.rows).toBe(1);
    expect((await kpi({ site_id: "lon1" })).data_end).toBe("2026-04-20T12:15:00.000Z");
    expect((await kpi({ site_id: "par1", zone_id: "nowhere" })).data_end).toBeNull();
  });

  it("filters by cluster, source and dataset version", async () => {
    const q = (extra: Record<string, string>) =>
      call(`/api/v1/kpi?${new URLSearchParams({ ...window, tenant_id: tenant, ...extra })}`, { token: analyst }).then(
        (r) => r.json() as Promise<Overview>,
      );
    const c01 = await q({ cluster_id: "c01" });
    expect(c01.kpis.it_kwh).toBeCloseTo(100, 6);
    // c01 reports its hotspot count, always 0: zero hotspot-hours, not "no data".
    expect(c01.kpis.hotspot_hours).toBe(0);
    expect((await q({ source: "mass" })).kpis.rows).toBe(0);
    const other = await upload(analyst, tinyCsv(2), { name: "tiny", tenant_id: tenant });
    expect((await q({})).kpis.it_kwh).toBeCloseTo(600, 6);
    const versions = (await (await call(`/api/v1/datasets/${other.dataset.id}`, { token: analyst })).json()) as {
      versions: { id: string; version: number }[];
    };
    const v1 = versions.versions.find((v) => v.version === 1)!.id;
    expect((await q({ version: v1 })).kpis.it_kwh).toBeCloseTo(300, 6);
  });

  it("never shows a tenant-scoped viewer another tenant's numbers", async () => {
    const viewer = await userWithRole("viewer", ["someone-else"]);
    const own = (await (
      await call(`/api/v1/kpi?${new URLSearchParams(window)}`, { token: viewer.token })
    ).json()) as Overview;
    expect(own.kpis.rows).toBe(0);
    const asked = (await (
      await call(`/api/v1/kpi?${new URLSearchParams({ ...window, tenant_id: tenant })}`, { token: viewer.token })
    ).json()) as Overview;
    expect(asked.kpis.rows).toBe(0);
    const token = (await apiTokenWithRole("viewer", [tenant])).secret;
    const allowed = (await (await call(`/api/v1/kpi?${new URLSearchParams(window)}`, { token })).json()) as Overview;
    expect(allowed.kpis.rows).toBeGreaterThan(0);
  });

  it("downsamples trends in the database, energy-correct per bucket", async () => {
    const res = await call(
      `/api/v1/kpi/trends?${new URLSearchParams({ ...window, tenant_id: tenant, points: "10" })}`,
      { token: analyst },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      bucket_seconds: number;
      points: { t: string; facility_kw: number; it_kw: number; pue: number; p95_inlet_max_c: number }[];
    };
    expect(body.bucket_seconds).toBe(900);
    expect(body.points).toHaveLength(4);
    const wide = (await (
      await call(
        `/api/v1/kpi/trends?${new URLSearchParams({ period: "custom", from: "2026-04-01T00:00:00Z", to: "2026-04-01T12:00:00Z", tenant_id: tenant, points: "10" })}`,
        { token: analyst },
      )
    ).json()) as typeof body;
    expect(wide.bucket_seconds).toBe(7200);
    // By now the latest version of "tiny" is the double-load one: (300 + 520) kW for 1 h is
    // 820 kWh, which over the 2-hour bucket is 410 kW on average.
    expect(wide.points).toHaveLength(1);
    expect(wide.points[0]!.facility_kw).toBeCloseTo(410, 6);
    expect(wide.points[0]!.p95_inlet_max_c).toBe(28);
  });

  it("compares the periods either side of the latest setpoint change", async () => {
    const t = `cmp-${randomBytes(3).toString("hex")}`;
    const lines = ["timestamp_utc,site_id,it_load_kw,facility_power_kw,chiller_kw,cooling_setpoint_c"];
    for (let hour = 0; hour < 48; hour++) {
      const at = new Date(Date.parse("2026-06-01T00:00:00Z") + hour * 3_600_000).toISOString();
      const after = hour >= 24;
      lines.push(`${at},s1,100,${after ? 130 : 140},${after ? 20 : 30},${after ? 24 : 22}`);
    }
    await upload(analyst, `${lines.join("\n")}\n`, { name: "setpoint", tenant_id: t });
    const res = await call(`/api/v1/kpi/compare?${new URLSearchParams({ tenant_id: t, days: "1" })}`, {
      token: analyst,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      normalized: boolean;
      event: { at: string; from: number; to: number };
      before: { from: string };
      kpis_before: Record<string, number>;
      kpis_after: Record<string, number>;
      profile: { slot: number; before_facility_kw: number; after_facility_kw: number }[];
    };
    expect(body.normalized).toBe(false);
    expect(body.event).toEqual({ at: "2026-06-02T00:00:00.000Z", tenant_id: t, site: "s1", from: 22, to: 24 });
    expect(body.before.from).toBe("2026-06-01T00:00:00.000Z");
    expect(body.kpis_before.pue).toBeCloseTo(1.4, 9);
    expect(body.kpis_after.pue).toBeCloseTo(1.3, 9);
    expect(body.kpis_after.cooling_kwh! - body.kpis_before.cooling_kwh!).toBeCloseTo(-240, 6);
    expect(body.profile).toHaveLength(24);
    expect(body.profile[5]).toEqual({
      slot: 5,
      before_facility_kw: 140,
      after_facility_kw: 130,
      before_pue: 1.4,
      after_pue: 1.3,
    });
    const weekly = (await (
      await call(`/api/v1/kpi/compare?${new URLSearchParams({ tenant_id: t, days: "1", profile: "week" })}`, {
        token: analyst,
      })
    ).json()) as { profile: unknown[] };
    expect(weekly.profile).toHaveLength(168);
  });

  // Issue 17 item 3: the default event is one site's, but the table summed every site of every tenant.
  it("scopes the default event's comparison to that event's tenant and site", async () => {
    const t = `cmp-scope-${randomBytes(3).toString("hex")}`;
    const lines = ["timestamp_utc,site_id,it_load_kw,facility_power_kw,chiller_kw,cooling_setpoint_c"];
    for (let hour = 0; hour < 48; hour++) {
      const at = new Date(Date.parse("2026-06-01T00:00:00Z") + hour * 3_600_000).toISOString();
      lines.push(`${at},s1,100,${hour >= 24 ? 130 : 140},20,${hour >= 24 ? 24 : 22}`);
      lines.push(`${at},s2,400,600,90,21`);
    }
    await upload(analyst, `${lines.join("\n")}\n`, { name: "two sites", tenant_id: t });
    type Body = {
      scope: Record<string, string | null>;
      event: { site: string };
      kpis_before: Record<string, number>;
      kpis_after: Record<string, number>;
    };
    const get = async (q: Record<string, string>) =>
      (await (
        await call(`/api/v1/kpi/compare?${new URLSearchParams({ days: "1", ...q })}`, { token: analyst })
      ).json()) as Body;
    const byDefault = await get({ tenant_id: t });
    const site = await get({ tenant_id: t, site_id: "s1" });
    expect(byDefault.event.site).toBe("s1");
    expect(byDefault.scope).toEqual({ tenant_id: t, site_id: "s1", cluster_id: null, zone_id: null });
    expect(byDefault.kpis_before.facility_kwh).toBeCloseTo(24 * 140, 6);
    expect(byDefault.kpis_before).toEqual(site.kpis_before);
    expect(byDefault.kpis_after).toEqual(site.kpis_after);
    // An explicit pair of periods keeps the whole chosen scope: both sites.
    const both = await get({
      tenant_id: t,
      before_from: "2026-06-01T00:00:00Z",
      before_to: "2026-06-02T00:00:00Z",
      after_from: "2026-06-02T00:00:00Z",
      after_to: "2026-06-03T00:00:00Z",
    });
    expect(both.scope).toEqual({ tenant_id: t, site_id: null, cluster_id: null, zone_id: null });
    expect(both.kpis_before.facility_kwh).toBeCloseTo(24 * (140 + 600), 6);
  });

  it("exports the filtered observations as CSV, safe against formula injection, and audits it", async () => {
    const t = `csv-${randomBytes(3).toString("hex")}`;
    await upload(
      analyst,
      `timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw\n2026-04-01T00:00:00Z,=1+2,c1,10,12\n2026-04-01T00:15:00Z,=1+2,c1,11,13\n2026-04-01T00:30:00Z,s2,c1,12,14\n`,
      { name: "csv", tenant_id: t },
    );
    const query = new URLSearchParams({ ...window, tenant_id: t });
    const viewer = await userWithRole("viewer");
    expect((await call(`/api/v1/observations/export.csv?${query}`, { token: viewer.token })).status).toBe(403);
    const res = await call(`/api/v1/observations/export.csv?${query}`, { token: analyst });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="observations-.*\.csv"/);
    const parsed = Papa.parse<Record<string, string>>((await res.text()).replace(/^\uFEFF/, ""), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data).toHaveLength(3);
    expect(parsed.data.map((r) => r.site_id)).toEqual(["'=1+2", "'=1+2", "s2"]);
    expect(parsed.data[0]).toMatchObject({
      interval_start_utc: "2026-04-01T00:00:00.000Z",
      it_load_kw: "10",
      facility_power_kw: "12",
      pue: "1.2",
    });
    const page = (await (
      await call(
        `/api/v1/observations?${new URLSearchParams({ ...window, tenant_id: t, sort: "it_load_kw", desc: "true", limit: "2" })}`,
        { token: viewer.token },
      )
    ).json()) as { total: number; items: { it_load_kw: number }[] };
    expect(page.total).toBe(3);
    expect(page.items.map((r) => r.it_load_kw)).toEqual([12, 11]);
    const audit = await db.query(
      "select inputs, outputs from audit_event where action = 'export.csv' and target_type = 'observations' and tenant_id = $1",
      [t],
    );
    expect(audit.rows).toEqual([
      { inputs: expect.objectContaining({ filters: expect.stringContaining(`tenant_id=${t}`) }), outputs: { rows: 3 } },
    ]);
  });

  it("exports the KPI summary as CSV and a PDF report whose text holds the KPI values", async () => {
    const query = new URLSearchParams({
      period: "custom",
      from: "2026-03-31T00:00:00Z",
      to: "2026-04-01T00:00:00Z",
      tenant_id: tenant,
    });
    const csv = await call(`/api/v1/kpi/export.csv?${query}`, { token: analyst });
    expect(csv.status).toBe(200);
    const rows = Papa.parse<string[]>((await csv.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(0, 2)).toEqual(["kpi", "unit"]);
    expect(rows.find((r) => r[0] === "IT energy")).toEqual([
      "IT energy",
      "kWh",
      "150",
      "",
      "",
      "no data in the previous period to compare",
    ]);
    const pdf = await call(`/api/v1/kpi/report.pdf?${query}`, { token: analyst });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const text = await pdfText(bytes);
    expect(text).toContain("Energy report");
    expect(text).toContain("PUE (energy-weighted)");
    expect(text).toMatch(/IT energy \(kWh\)\s+150/);
    expect(text).toMatch(/Facility energy \(kWh\)\s+205/);
    // (A long line may wrap anywhere: compare without whitespace.)
    expect(text.replace(/\s+/g, "")).toContain(`tenant_id=${tenant}`);
    expect(text).toMatch(/SHA-256\s+[0-9a-f]{64}/);
    const audit = await db.query(
      "select action, target_type from audit_event where action in ('export.csv', 'export.pdf') and tenant_id = $1 order by seq",
      [tenant],
    );
    expect(audit.rows).toEqual([
      { action: "export.csv", target_type: "kpis" },
      { action: "export.pdf", target_type: "report" },
    ]);
  });

  it("reads live MASS observations too, and anchors a preset at their end", async () => {
    const t = `mass-${randomBytes(3).toString("hex")}`;
    for (let i = 0; i < 2; i++) {
      const res = await call("/api/v1/mass", {
        token: analyst,
        headers: { "Idempotency-Key": `${t}-${i}` },
        body: {
          payload: {
            tenant_id: t,
            site_id: "m1",
            timestamp_utc: `2026-02-01T0${i}:00:00Z`,
            interval_seconds: 3600,
            it_load_kw: 100,
            facility_power_kw: 125,
          },
        },
      });
      expect(res.status).toBe(201);
    }
    const body = (await (
      await call(`/api/v1/kpi?${new URLSearchParams({ period: "24h", tenant_id: t, source: "mass" })}`, {
        token: analyst,
      })
    ).json()) as Overview;
    expect(body.period.to).toBe("2026-02-01T02:00:00.000Z");
    expect(body.kpis).toMatchObject({ rows: 2, it_kwh: 200, facility_kwh: 250, pue: 1.25 });
    const csvOnly = (await (
      await call(`/api/v1/kpi?${new URLSearchParams({ period: "24h", tenant_id: t, source: "csv" })}`, {
        token: analyst,
      })
    ).json()) as Overview;
    expect(csvOnly.kpis.rows).toBe(0);
  });

  it("refuses an invalid custom period with every problem", async () => {
    const res = await call(`/api/v1/kpi?period=custom&to=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z`, {
      token: analyst,
    });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { pointer: string }[] };
    expect(problem.errors.map((e) => e.pointer)).toEqual(["/to"]);
  });
});
