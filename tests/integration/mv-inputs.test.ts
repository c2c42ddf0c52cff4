// What a study reads and how it shows it, over real HTTP and PostgreSQL: a flat-lined meter's hours
// are left out by default and listed with their range (and kept when the study says so); an Option B
// study over a site without fan meters names its sub-meters (and is refused, naming the column,
// when it names one the data lacks); a day missing an hour still counts, scaled to 24 h; reporting
// days can be excluded; the report's CSV carries every model input, enough to refit the model.
// The oracle is the arithmetic of the rows this test sends.
import { randomBytes } from "node:crypto";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";
import { pdfText } from "../support/pdf-text";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const D0 = Date.parse("2026-01-05T00:00:00Z");
const iso = (t: number) => new Date(t).toISOString();
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** Hour k's readings of one cluster: every value moves from hour to hour (no accidental flat runs). */
function readings(k: number, cluster: number) {
  const day = Math.floor(k / 24);
  const temp = r3(14 + 7 * Math.sin((2 * Math.PI * ((k % 24) - 9)) / 24) + 0.37 * (day % 7) + 0.011 * k);
  const it = r3(400 + 60 * cluster + 25 * Math.sin(k / 5.3) + 7 * (day % 4) + 0.017 * k);
  const chiller = r3(40 + 2.5 * Math.max(0, temp - 12) + 0.06 * it + 0.5 * Math.sin(k / 2.1));
  const fan = r3(9 + 0.012 * it + 0.3 * Math.cos(k / 1.7));
  const facility = r3(it * 1.08 + chiller + fan + 20);
  return { temp, it, chiller, fan, facility };
}

type Cols = "fan" | "cluster";
function csvOf(
  days: number,
  opts: {
    clusters: number;
    without?: Cols[];
    skip?: (k: number, c: number) => boolean;
    chillerAt?: (k: number, c: number) => number | null;
  },
): string {
  const fan = !opts.without?.includes("fan");
  const lines = [
    `timestamp_utc,site_id,cluster_id,interval_seconds,it_load_kw,facility_power_kw,chiller_kw,${fan ? "fan_power_kw," : ""}outdoor_temp_c`,
  ];
  for (let k = 0; k < days * 24; k++) {
    for (let c = 0; c < opts.clusters; c++) {
      if (opts.skip?.(k, c)) continue;
      const v = readings(k, c);
      const chiller = opts.chillerAt?.(k, c) ?? v.chiller;
      lines.push(
        `${iso(D0 + k * HOUR)},s1,c${c + 1},3600,${v.it},${v.facility},${chiller},${fan ? `${v.fan},` : ""}${v.temp}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

type Flag = {
  kind: string;
  column: string;
  siteId: string;
  clusterId: string | null;
  from: string;
  to: string;
  hours: number;
};
type Report = {
  id: string;
  avoided_kwh: number;
  results: {
    model: { coefficients: { name: string; estimate: number }[]; balancePointC: number | null };
    baselineSeries: { t: string[]; actualKwh: number[] };
    reportingSeries: { t: string[]; actualKwh: number[]; savingsKwh: number[] };
    sufficiency: {
      baseline: { expected: number; complete: number; excluded: number };
      reporting: { expected: number; complete: number; excluded: number };
    };
    inputs?: { baseline: { hoursPresent: (number | null)[] }; reporting: { hoursPresent: (number | null)[] } };
    excludedIntervals?: { period: string; t: string; reason: string }[];
    inputQuality?: {
      rule: { staleAfterSeconds: number; includeFlagged: boolean };
      flags: Flag[];
      flaggedHours: number;
    };
  };
};

describe("M&V inputs: quality flags, boundary signals, partial days, reporting exclusions, CSV inputs", () => {
  const tenant = `mvin-${randomBytes(3).toString("hex")}`;
  let analyst: string;
  const versions: Record<string, string> = {};
  // Hours 8–13 of day 5, cluster 1: the chiller meter repeats one value for six hours.
  const flatFrom = 5 * 24 + 8;
  const flatTo = flatFrom + 6;
  // Cluster 2 misses hour 10 of day 3 (23 complete hours) and hours 0–12 of day 7 (11: too few).
  const missing = (k: number, c: number) => c === 1 && (k === 3 * 24 + 10 || (k >= 7 * 24 && k < 7 * 24 + 13));

  async function upload(name: string, csv: string): Promise<string> {
    const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: csv,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { version: { id: string } }).version.id;
  }

  async function run(name: string, spec: Record<string, unknown>): Promise<Response> {
    const created = await call("/api/v1/mv/studies", { token: analyst, body: { tenant_id: tenant, name, spec } });
    expect(created.status, await created.clone().text()).toBe(201);
    return call(`/api/v1/mv/studies/${((await created.json()) as { id: string }).id}/runs`, {
      token: analyst,
      method: "POST",
    });
  }

  async function report(name: string, spec: Record<string, unknown>): Promise<Report> {
    const res = await run(name, spec);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Report;
  }

  const base = (version: string, extra: Record<string, unknown> = {}) => ({
    scope: { siteId: "s1" },
    source: { datasetVersionIds: [version], massUntil: null },
    baseline: { from: iso(D0), to: iso(D0 + 20 * DAY) },
    reporting: { from: iso(D0 + 20 * DAY), to: iso(D0 + 30 * DAY) },
    ...extra,
  });

  beforeAll(async () => {
    analyst = (await userWithRole("analyst", [tenant])).token;
    const flat = readings(flatFrom, 0).chiller;
    versions.stale = await upload(
      "flat chiller",
      csvOf(30, { clusters: 1, chillerAt: (k) => (k >= flatFrom && k < flatTo ? flat : null) }),
    );
    versions.noFan = await upload("no fan meters", csvOf(30, { clusters: 1, without: ["fan"] }));
    versions.partial = await upload("two clusters, gaps", csvOf(30, { clusters: 2, skip: missing }));
  }, 120_000);

  it("leaves a flat-lined meter's hours out by default and lists them (series, from–to, hours); the switch keeps them", async () => {
    const spec = base(versions.stale!, { boundary: "cooling", granularity: "hourly", model: { kind: "ols_it" } });
    const excluded = await report("stale excluded", spec);
    const flatHours = Array.from({ length: flatTo - flatFrom }, (_, i) => iso(D0 + (flatFrom + i) * HOUR));
    for (const t of flatHours) expect(excluded.results.baselineSeries.t).not.toContain(t);
    expect(excluded.results.baselineSeries.t).toHaveLength(20 * 24 - 6);
    expect(excluded.results.sufficiency.baseline.expected).toBe(20 * 24);
    const q = excluded.results.inputQuality!;
    expect(q.rule).toMatchObject({ staleAfterSeconds: 7200, includeFlagged: false });
    expect(q.flags).toEqual([
      expect.objectContaining({
        kind: "stale",
        column: "chiller_kw",
        siteId: "s1",
        clusterId: "c1",
        from: flatHours[0],
        to: iso(D0 + flatTo * HOUR),
        hours: 6,
      }),
    ]);
    expect(q.flaggedHours).toBe(6);
    const pdf = await call(`/api/v1/mv/reports/${excluded.id}/report.pdf`, { token: analyst });
    expect(pdf.status).toBe(200);
    // Table cells wrap: compare without white space.
    const text = (await pdfText(new Uint8Array(await pdf.arrayBuffer()))).replace(/\s+/g, "");
    expect(text).toContain("Staleruns");
    // Instants are written for people: "2026-03-01 14:00 UTC" (lib/format.ts formatUtc).
    const shown = (t: string) => `${t.slice(0, 10)}${t.slice(11, 16)}UTC`;
    expect(text).toContain(`chiller_kwats1/c1,${shown(flatHours[0]!)}→${shown(iso(D0 + flatTo * HOUR))}(6h`);
    const csv = (await (await call(`/api/v1/mv/reports/${excluded.id}/export.csv`, { token: analyst })).text()).replace(
      /^\uFEFF/,
      "",
    );
    expect(csv).toMatch(/# stale_runs: 1: chiller_kw s1\/c1 /);
    expect(csv).toContain("# flagged_hours_left_out: 6");

    const kept = await report("stale kept", { ...spec, assumptions: { dataQuality: { includeFlagged: true } } });
    for (const t of flatHours) expect(kept.results.baselineSeries.t).toContain(t);
    expect(kept.results.inputQuality!.flags).toHaveLength(1);
    expect(kept.results.inputQuality!.flaggedHours).toBe(0);
  });

  it("measures an Option B boundary of the chiller alone, and refuses one naming a sub-meter the data lacks", async () => {
    const refused = await run(
      "fans missing",
      base(versions.noFan!, { boundary: "cooling", granularity: "daily", model: { kind: "mean" } }),
    );
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { detail: string; errors: { code: string; detail: string }[] };
    expect(problem.detail).toContain("fan_power_kw");
    expect(problem.errors[0]!.code).toBe("missing_signal");

    const r = await report(
      "chiller only",
      base(versions.noFan!, {
        boundary: "cooling",
        boundarySignals: ["chiller_kw"],
        granularity: "daily",
        model: { kind: "mean" },
      }),
    );
    const want = (d: number) =>
      Array.from({ length: 24 }, (_, h) => readings(d * 24 + h, 0).chiller).reduce((a, b) => a + b, 0);
    expect(r.results.baselineSeries.t).toHaveLength(20);
    r.results.baselineSeries.actualKwh.forEach((kwh, d) => expect(kwh, `day ${d}`).toBeCloseTo(want(d), 6));
  });

  it("counts a day with enough complete hours, scaled to 24 h, and reports each day's hours", async () => {
    const r = await report(
      "partial days",
      base(versions.partial!, { boundary: "facility", granularity: "daily", model: { kind: "mean" } }),
    );
    const dayKwh = (d: number, hours: number[]) =>
      hours.reduce((s, h) => s + readings(d * 24 + h, 0).facility + readings(d * 24 + h, 1).facility, 0);
    const all = Array.from({ length: 24 }, (_, h) => h);
    const t = r.results.baselineSeries.t;
    expect(t).toContain(iso(D0 + 3 * DAY));
    expect(t).not.toContain(iso(D0 + 7 * DAY));
    expect(t).toHaveLength(19);
    const i3 = t.indexOf(iso(D0 + 3 * DAY));
    expect(r.results.baselineSeries.actualKwh[i3]).toBeCloseTo(
      (dayKwh(
        3,
        all.filter((h) => h !== 10),
      ) *
        24) /
        23,
      6,
    );
    expect(r.results.baselineSeries.actualKwh[0]).toBeCloseTo(dayKwh(0, all), 6);
    expect(r.results.inputs!.baseline.hoursPresent[i3]).toBe(23);
    expect(r.results.inputs!.baseline.hoursPresent[0]).toBe(24);

    const strict = await report(
      "whole days only",
      base(versions.partial!, {
        boundary: "facility",
        granularity: "daily",
        model: { kind: "mean" },
        assumptions: { sufficiency: { minHoursPerDay: 24 } },
      }),
    );
    expect(strict.results.baselineSeries.t).not.toContain(iso(D0 + 3 * DAY));

    const csv = await call(`/api/v1/mv/reports/${r.id}/export.csv`, { token: analyst });
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), {
      header: true,
      comments: "#",
      skipEmptyLines: true,
    }).data;
    expect(rows.find((x) => x.interval_start_utc === iso(D0 + 3 * DAY))!.hours_present).toBe("23");
  });

  it("excludes dated reporting intervals from the savings and sufficiency, and exports every model input to refit the model", async () => {
    const spec = base(versions.partial!, {
      boundary: "cooling",
      granularity: "daily",
      model: { kind: "ols_it_cdd", balancePointC: 12 },
      assumptions: {
        exclusions: [
          { from: iso(D0 + 2 * DAY), to: iso(D0 + 3 * DAY), reason: "chiller service" },
          { from: iso(D0 + 24 * DAY), to: iso(D0 + 25 * DAY), reason: "fire drill, cooling off" },
        ],
      },
    });
    const r = await report("reporting exclusion", spec);
    expect(r.results.sufficiency.reporting).toMatchObject({ expected: 9, complete: 9, excluded: 1 });
    expect(r.results.reportingSeries.t).not.toContain(iso(D0 + 24 * DAY));
    expect(r.results.excludedIntervals).toEqual([
      expect.objectContaining({ period: "baseline", t: iso(D0 + 2 * DAY), reason: "chiller service" }),
      expect.objectContaining({ period: "reporting", t: iso(D0 + 24 * DAY), reason: "fire drill, cooling off" }),
    ]);

    const res = await call(`/api/v1/mv/reports/${r.id}/export.csv`, { token: analyst });
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, "");
    expect(text).toMatch(/# exclusions: .*fire drill/);
    const rows = Papa.parse<Record<string, string>>(text, { header: true, comments: "#", skipEmptyLines: true }).data;
    for (const col of [
      "it_kwh",
      "facility_kwh",
      "mean_outdoor_temp_c",
      "cooling_degrees",
      "hours_present",
      "excluded",
      "excluded_reason",
    ])
      expect(Object.keys(rows[0]!)).toContain(col);
    const excludedRows = rows.filter((x) => x.excluded === "true");
    expect(excludedRows.map((x) => [x.period, x.interval_start_utc, x.excluded_reason])).toEqual([
      ["baseline", iso(D0 + 2 * DAY), "chiller service"],
      ["reporting", iso(D0 + 24 * DAY), "fire drill, cooling off"],
    ]);
    // Refit from the export alone: E = b0 + b1·IT + b2·CDD(12 °C) by the normal equations.
    const fit = rows
      .filter((x) => x.period === "baseline" && x.excluded === "false")
      .map((x) => [1, Number(x.it_kwh), Number(x.cooling_degrees), Number(x.actual_kwh)] as const);
    expect(fit).toHaveLength(r.results.baselineSeries.t.length);
    // Centred columns keep the 2 × 2 system well conditioned; the intercept follows from the means.
    const mean = (j: number) => fit.reduce((s, row) => s + row[j]!, 0) / fit.length;
    const [m1, m2, my] = [mean(1), mean(2), mean(3)];
    const sxx = (i: number, j: number) =>
      fit.reduce((s, row) => s + (row[i]! - [0, m1, m2, my][i]!) * (row[j]! - [0, m1, m2, my][j]!), 0);
    const det = sxx(1, 1) * sxx(2, 2) - sxx(1, 2) ** 2;
    const b1 = (sxx(1, 3) * sxx(2, 2) - sxx(2, 3) * sxx(1, 2)) / det;
    const b2 = (sxx(2, 3) * sxx(1, 1) - sxx(1, 3) * sxx(1, 2)) / det;
    const beta = [my - b1 * m1 - b2 * m2, b1, b2];
    r.results.model.coefficients.forEach((c, i) =>
      expect(Math.abs(beta[i]! - c.estimate) / Math.max(1, Math.abs(c.estimate)), c.name).toBeLessThan(1e-6),
    );
    // The outdoor temperature column is the mean of the hours present, from the rows sent.
    const day0 = rows.find((x) => x.interval_start_utc === iso(D0))!;
    const temps = Array.from({ length: 24 }, (_, h) => readings(h, 0).temp);
    expect(Number(day0.mean_outdoor_temp_c)).toBeCloseTo(temps.reduce((a, b) => a + b, 0) / 24, 6);
    expect(Number(day0.cooling_degrees)).toBeCloseTo(temps.reduce((a, b) => a + Math.max(0, b - 12), 0) / 24, 6);
    // Avoided energy: the sum of the kept reporting rows' savings.
    const saved = rows
      .filter((x) => x.period === "reporting" && x.excluded === "false")
      .reduce((s, x) => s + Number(x.savings_kwh), 0);
    expect(saved).toBeCloseTo(r.avoided_kwh, 6);
  });
});
