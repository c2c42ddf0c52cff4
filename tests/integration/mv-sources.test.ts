// A study's inputs follow the dashboard's source rule (README "One value per series and
// interval"): when a study pins sources that overlap, each asset-hour comes from one of them —
// the latest uploaded dataset version, dataset versions above MASS, the latest of repeated MASS
// readings — never a sum and never an hour stitched from two. The oracle is the arithmetic of the
// rows this test sends.
//
// The site's BMS export (15-minute rows, 100 kW) is followed by an hourly re-export of days 10–19
// at 120 kW (each plus the day number mod 5) under another dataset name. An hour of day 30 is missing from the export and arrives
// as MASS readings twice (300 kW, then a correction to 150 kW); a MASS reading over an hour the
// export holds (999 kW) loses to the export.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const D0 = Date.parse("2026-01-05T00:00:00Z");
const iso = (t: number) => new Date(t).toISOString();

type Report = {
  results: {
    baselineSeries: { t: string[]; actualKwh: number[] };
    reportingSeries: { t: string[]; actualKwh: number[] };
    sufficiency: { baseline: { coverage: number } };
  };
};

/** Day d's power: the base plus d mod 5 kW (a model refuses a baseline that does not vary). */
const kwOn = (base: number, t: number) => base + (Math.floor((t - D0) / DAY) % 5);

async function upload(
  token: string,
  tenant: string,
  name: string,
  step: number,
  from: number,
  to: number,
  skip: (t: number) => boolean,
  base: number,
): Promise<string> {
  const lines = ["timestamp_utc,site_id,interval_seconds,it_load_kw,facility_power_kw"];
  for (let t = from; t < to; t += step)
    if (!skip(t)) lines.push(`${iso(t)},s1,${step / 1000},${kwOn(base, t) * 0.8},${kwOn(base, t)}`);
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: `${lines.join("\n")}\n`,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { version: { id: string } }).version.id;
}

describe("M&V inputs from overlapping sources", () => {
  const tenant = `mvsrc-${randomBytes(3).toString("hex")}`;
  let analyst: string;
  let versions: string[];
  const gapHour = D0 + 30 * DAY + 5 * HOUR;

  beforeAll(async () => {
    analyst = (await userWithRole("analyst", [tenant])).token;
    const bms = await upload(
      analyst,
      tenant,
      "bms export",
      900_000,
      D0,
      D0 + 50 * DAY,
      (t) => t >= gapHour && t < gapHour + HOUR,
      100,
    );
    const hourly = await upload(
      analyst,
      tenant,
      "bms export (hourly)",
      HOUR,
      D0 + 10 * DAY,
      D0 + 20 * DAY,
      () => false,
      120,
    );
    versions = [bms, hourly];
    const mass = async (key: string, t: number, kw: number) => {
      const res = await call("/api/v1/mass", {
        token: analyst,
        headers: { "Idempotency-Key": `${tenant}-${key}` },
        body: {
          payload: {
            tenant_id: tenant,
            site_id: "s1",
            timestamp_utc: iso(t),
            interval_seconds: 3600,
            it_load_kw: kw * 0.8,
            facility_power_kw: kw,
          },
        },
      });
      expect(res.status).toBe(201);
    };
    await mass("gap-first", gapHour, 300);
    await mass("gap-correction", gapHour, 150);
    await mass("over-export", D0 + 31 * DAY + 2 * HOUR, 999);
  }, 60_000);

  it("takes each hour from one source: the latest upload, then MASS where no dataset has it, the latest MASS reading", async () => {
    const spec = {
      scope: { siteId: "s1" },
      boundary: "facility",
      source: { datasetVersionIds: versions, massUntil: new Date().toISOString() },
      baseline: { from: iso(D0), to: iso(D0 + 40 * DAY) },
      reporting: { from: iso(D0 + 40 * DAY), to: iso(D0 + 50 * DAY) },
      granularity: "daily",
      model: { kind: "mean" },
      // Each day's power is one value held for 24 h: stale by the quality rule, kept on purpose here.
      assumptions: { dataQuality: { includeFlagged: true } },
    };
    const created = await call("/api/v1/mv/studies", {
      token: analyst,
      body: { tenant_id: tenant, name: "overlapping sources", spec },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const run = await call(`/api/v1/mv/studies/${((await created.json()) as { id: string }).id}/runs`, {
      token: analyst,
      method: "POST",
    });
    expect(run.status, await run.clone().text()).toBe(201);
    const report = (await run.json()) as Report;
    const want = (d: number) =>
      d >= 10 && d < 20 ? 24 * (120 + (d % 5)) : d === 30 ? 23 * (100 + (d % 5)) + 150 : 24 * (100 + (d % 5));
    const got = report.results.baselineSeries;
    expect(got.t).toEqual(Array.from({ length: 40 }, (_, d) => iso(D0 + d * DAY)));
    got.actualKwh.forEach((kwh, d) => expect(kwh, `day ${d}`).toBeCloseTo(want(d), 6));
    expect(report.results.sufficiency.baseline.coverage).toBe(1);
    expect(report.results.reportingSeries.actualKwh).toEqual(
      Array.from({ length: 10 }, (_, i) => 24 * (100 + ((40 + i) % 5))),
    );
  });

  it("uses only the sources a study pins: the export alone keeps its own values on the re-exported days", async () => {
    const spec = {
      scope: { siteId: "s1" },
      boundary: "facility",
      source: { datasetVersionIds: [versions[0]], massUntil: null },
      baseline: { from: iso(D0), to: iso(D0 + 29 * DAY) },
      reporting: { from: iso(D0 + 40 * DAY), to: iso(D0 + 50 * DAY) },
      granularity: "daily",
      model: { kind: "mean" },
      // Each day's power is one value held for 24 h: stale by the quality rule, kept on purpose here.
      assumptions: { dataQuality: { includeFlagged: true } },
    };
    const created = await call("/api/v1/mv/studies", {
      token: analyst,
      body: { tenant_id: tenant, name: "export only", spec },
    });
    expect(created.status).toBe(201);
    const run = await call(`/api/v1/mv/studies/${((await created.json()) as { id: string }).id}/runs`, {
      token: analyst,
      method: "POST",
    });
    expect(run.status, await run.clone().text()).toBe(201);
    const report = (await run.json()) as Report;
    expect(report.results.baselineSeries.actualKwh).toEqual(Array.from({ length: 29 }, (_, d) => 24 * (100 + (d % 5))));
  });
});
