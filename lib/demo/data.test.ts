import { describe, expect, it } from "vitest";
import { mapHeader } from "@/lib/datasets/columns";
import {
  DEFAULT_DEMO,
  DEMO_COLUMNS,
  DEMO_EVENT,
  demoCsvLines,
  demoOptionsForRows,
  demoRowCount,
  demoRows,
  type DemoOptions,
  type DemoRow,
} from "./data";
import { parseRow } from "@/lib/datasets/rows";
import { gaussian, mulberry32 } from "@/lib/seeded-random";

const days = (start: string, n: number, extra: Partial<DemoOptions> = {}): DemoOptions => ({
  ...DEFAULT_DEMO,
  start: new Date(start),
  days: n,
  ...extra,
});
const week = (start: string, extra: Partial<DemoOptions> = {}) => days(start, 7, extra);
const noChange: DemoOptions["setpointChange"] = { at: new Date("2100-01-01T00:00:00Z"), fromC: 22, toC: 24 };
const sum = (rows: readonly DemoRow[], key: keyof DemoRow) => rows.reduce((n, r) => n + (r[key] as number), 0);
const mean = (rows: readonly DemoRow[], key: keyof DemoRow) => sum(rows, key) / rows.length;
const pue = (rows: readonly DemoRow[]) => sum(rows, "facility_power_kw") / sum(rows, "it_load_kw");
const hour = (r: DemoRow) => Number(r.timestamp_utc.slice(11, 13));
const clusterCount = (o: DemoOptions) => o.sites.reduce((n, s) => n + s.clusters.length, 0);
const capacity = new Map(
  DEFAULT_DEMO.sites.flatMap((s) => s.clusters.map((c) => [`${s.siteId}/${c.clusterId}`, c.itCapacityKw] as const)),
);

describe("demo data: PRNG", () => {
  it("mulberry32 is reproducible, uniform in [0, 1), and the Gaussian helper is standard normal", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 20_000 }, () => a());
    expect(Array.from({ length: 20_000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((n, x) => n + x, 0) / xs.length).toBeCloseTo(0.5, 2);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());

    const normal = gaussian(mulberry32(7));
    const zs = Array.from({ length: 20_000 }, () => normal());
    const m = zs.reduce((n, z) => n + z, 0) / zs.length;
    const sd = Math.sqrt(zs.reduce((n, z) => n + (z - m) ** 2, 0) / zs.length);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.97);
    expect(sd).toBeLessThan(1.03);
    expect(zs.every(Number.isFinite)).toBe(true);
  });
});

describe("demo data: shape", () => {
  it("is byte-identical for the same options and differs for another seed", () => {
    const a = [...demoCsvLines(week("2026-03-01T00:00:00Z"))].join("\n");
    const b = [...demoCsvLines(week("2026-03-01T00:00:00Z"))].join("\n");
    const c = [...demoCsvLines(week("2026-03-01T00:00:00Z", { seed: 7 }))].join("\n");
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c.split("\n").length).toBe(a.split("\n").length);
    // Every line but the header differs somewhere in its values.
    const [aLines, cLines] = [a.split("\n"), c.split("\n")];
    expect(aLines.slice(1).filter((line, i) => line === cLines[i + 1]).length).toBe(0);
  });

  it("has the documented header, and every line has its fields in that order", () => {
    expect(DEMO_COLUMNS.join(",")).toBe(
      "timestamp_utc,site_id,facility_id,cluster_id,zone_id,interval_seconds,it_load_kw,facility_power_kw,outdoor_temp_c,cooling_setpoint_c,chiller_kw,fan_power_kw,avg_rack_inlet_c,p95_rack_inlet_c,hotspot_rack_count,energy_price_usd_per_kwh,carbon_intensity_gco2_per_kwh",
    );
    const opts = days("2026-03-01T00:00:00Z", 1);
    const lines = [...demoCsvLines(opts)];
    expect(lines[0]).toBe(DEMO_COLUMNS.join(","));
    const rows = [...demoRows(opts)];
    lines.slice(1).forEach((line, i) => {
      expect(line).not.toMatch(/[\n\r"]/);
      expect(line).toBe(DEMO_COLUMNS.map((c) => String(rows[i]![c])).join(","));
    });
  });

  it("has days × 86400 / interval × clusters rows, in time, site, cluster order", () => {
    const opts = days("2026-03-01T00:00:00Z", 2);
    const rows = [...demoRows(opts)];
    expect(rows.length).toBe(2 * 96 * clusterCount(opts));
    expect(demoRowCount(opts)).toBe(rows.length);
    const order = opts.sites.flatMap((s) => s.clusters.map((c) => `${s.siteId}/${c.clusterId}`));
    rows.forEach((r, i) => {
      expect(`${r.site_id}/${r.cluster_id}`).toBe(order[i % order.length]);
      expect(Date.parse(r.timestamp_utc)).toBe(opts.start.getTime() + Math.floor(i / order.length) * 900_000);
      expect(r.timestamp_utc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r.interval_seconds).toBe(900);
    });

    const fiveMinutes = days("2026-03-01T00:00:00Z", 1, { intervalSeconds: 300 });
    expect([...demoRows(fiveMinutes)].length).toBe(288 * clusterCount(fiveMinutes));

    // The full year and the benchmark sizes, arithmetically (generating them is the CLI's job).
    expect(demoRowCount(DEFAULT_DEMO)).toBe(365 * 96 * 6);
    expect(demoRowCount(DEFAULT_DEMO)).toBe(210_240);
    const big = demoOptionsForRows(1_000_000);
    expect(demoRowCount(big)).toBeGreaterThanOrEqual(1_000_000);
    expect(demoRowCount(big)).toBeLessThan(1_000_000 + 96 * clusterCount(big));
    expect(big.intervalSeconds).toBe(900);
    const small = demoOptionsForRows(5000, 3);
    expect(small.seed).toBe(3);
    expect([...demoRows(small)].length).toBeGreaterThanOrEqual(5000);
  });

  it("describes its event: the default options raise the setpoint at both sites on the documented date", () => {
    expect(DEFAULT_DEMO.setpointChange.at.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(DEMO_EVENT).toMatchObject({ at: "2026-06-01T00:00:00Z", fromC: 22, toC: 24 });
    expect([...DEMO_EVENT.sites].sort()).toEqual(DEFAULT_DEMO.sites.map((s) => s.siteId).sort());
    const rows = [...demoRows(days("2026-05-31T23:00:00Z", 2 / 24))];
    const before = rows.filter((r) => r.timestamp_utc < DEMO_EVENT.at);
    const after = rows.filter((r) => r.timestamp_utc >= DEMO_EVENT.at);
    expect(before.length).toBe(4 * 6);
    expect(before.every((r) => r.cooling_setpoint_c === 22)).toBe(true);
    expect(after.every((r) => r.cooling_setpoint_c === 24)).toBe(true);
  });
});

describe("demo data: values", () => {
  it("passes the upload checks: every value in the contract's ranges, facility ≥ IT, IT ≤ capacity", () => {
    // Checks collect violations (one expect per check, not per row: keeps the test fast).
    const ROUNDING = [
      ["it_load_kw", 10],
      ["facility_power_kw", 10],
      ["chiller_kw", 100],
      ["fan_power_kw", 100],
      ["outdoor_temp_c", 100],
      ["avg_rack_inlet_c", 100],
      ["p95_rack_inlet_c", 100],
      ["energy_price_usd_per_kwh", 10_000],
      ["carbon_intensity_gco2_per_kwh", 10],
    ] as const;
    const CHECKS: [string, (r: DemoRow) => boolean][] = [
      [
        "facility ≥ IT + chiller + fans",
        (r) =>
          r.facility_power_kw >= r.it_load_kw &&
          r.facility_power_kw >= r.it_load_kw + r.chiller_kw + r.fan_power_kw - 0.2,
      ],
      ["0 < IT ≤ capacity", (r) => r.it_load_kw > 0 && r.it_load_kw <= capacity.get(`${r.site_id}/${r.cluster_id}`)!],
      ["chiller, fans ≥ 0", (r) => r.chiller_kw >= 0 && r.fan_power_kw >= 0],
      ["outdoor −25…46 °C", (r) => r.outdoor_temp_c > -25 && r.outdoor_temp_c < 46],
      ["setpoint 5…35 °C", (r) => r.cooling_setpoint_c >= 5 && r.cooling_setpoint_c <= 35],
      [
        "avg inlet near the setpoint",
        (r) => r.avg_rack_inlet_c > r.cooling_setpoint_c - 0.6 && r.avg_rack_inlet_c < r.cooling_setpoint_c + 2.5,
      ],
      ["avg < p95 < 35 °C", (r) => r.p95_rack_inlet_c > r.avg_rack_inlet_c && r.p95_rack_inlet_c < 35],
      ["hotspots a count", (r) => Number.isInteger(r.hotspot_rack_count) && r.hotspot_rack_count >= 0],
      ["price 0.05…0.40", (r) => r.energy_price_usd_per_kwh >= 0.05 && r.energy_price_usd_per_kwh <= 0.4],
      ["carbon 100…500", (r) => r.carbon_intensity_gco2_per_kwh >= 100 && r.carbon_intensity_gco2_per_kwh <= 500],
      [
        "rounded: kW 0.1 (cooling 0.01), °C 0.01, price 0.0001, carbon 0.1",
        (r) => ROUNDING.every(([k, step]) => Math.abs(r[k] * step - Math.round(r[k] * step)) < 1e-6),
      ],
    ];
    for (const start of ["2026-01-12T00:00:00Z", "2026-07-13T00:00:00Z"]) {
      const lines = [...demoCsvLines(week(start))];
      const headers = lines[0]!.split(",");
      const mapping = mapHeader(headers);
      expect(mapping.errors).toEqual([]);
      expect(mapping.warnings).toEqual([]);
      const problems = lines.slice(1).flatMap((line, i) => parseRow(line.split(","), headers, mapping, i + 2).problems);
      expect(problems).toEqual([]);

      const rows = [...demoRows(week(start))];
      expect(rows.length).toBe(lines.length - 1);
      for (const [name, ok] of CHECKS) expect(rows.filter((r) => !ok(r)).slice(0, 3), name).toEqual([]);
    }
  });

  it("has a plausible PUE in winter and summer, higher in summer and at the warm site", () => {
    const winter = [...demoRows(week("2026-01-12T00:00:00Z"))];
    const summer = [...demoRows(week("2026-07-13T00:00:00Z"))];
    for (const p of [pue(winter), pue(summer)]) {
      expect(p).toBeGreaterThan(1.15);
      expect(p).toBeLessThan(1.8);
    }
    expect(pue(summer)).toBeGreaterThan(pue(winter) + 0.05);
    const site = (rows: DemoRow[], id: string) => rows.filter((r) => r.site_id === id);
    expect(pue(site(summer, "mad1"))).toBeGreaterThan(pue(site(summer, "ams1")));
    // Free cooling in winter: the chiller is near its floor.
    expect(sum(site(winter, "ams1"), "chiller_kw") / sum(site(winter, "ams1"), "it_load_kw")).toBeLessThan(0.04);
  });

  it("has seasons and a daily temperature cycle, warmer at the warm site", () => {
    const winter = [...demoRows(week("2026-01-12T00:00:00Z"))];
    const summer = [...demoRows(week("2026-07-13T00:00:00Z"))];
    const at = (rows: DemoRow[], id: string) => rows.filter((r) => r.site_id === id);
    for (const id of ["mad1", "ams1"])
      expect(mean(at(summer, id), "outdoor_temp_c")).toBeGreaterThan(mean(at(winter, id), "outdoor_temp_c") + 8);
    expect(mean(at(summer, "mad1"), "outdoor_temp_c")).toBeGreaterThan(mean(at(summer, "ams1"), "outdoor_temp_c") + 3);
    const both = [...winter, ...summer];
    expect(
      mean(
        both.filter((r) => hour(r) >= 13 && hour(r) < 17),
        "outdoor_temp_c",
      ),
    ).toBeGreaterThan(
      mean(
        both.filter((r) => hour(r) < 5),
        "outdoor_temp_c",
      ) + 4,
    );
    // The site's clusters share its weather.
    const weather = new Map<string, number>();
    for (const r of summer)
      weather.set(
        `${r.timestamp_utc} ${r.site_id}`,
        weather.get(`${r.timestamp_utc} ${r.site_id}`) ?? r.outdoor_temp_c,
      );
    expect(summer.filter((r) => weather.get(`${r.timestamp_utc} ${r.site_id}`) !== r.outdoor_temp_c)).toEqual([]);
  });

  it("has a daily and a weekly load cycle", () => {
    const rows = [...demoRows(days("2026-03-02T00:00:00Z", 14))];
    const afternoon = rows.filter((r) => hour(r) >= 12 && hour(r) < 17);
    const night = rows.filter((r) => hour(r) < 5);
    expect(mean(afternoon, "it_load_kw")).toBeGreaterThan(mean(night, "it_load_kw") * 1.08);
    const day = (r: DemoRow) => new Date(r.timestamp_utc).getUTCDay();
    const weekend = rows.filter((r) => day(r) === 0 || day(r) === 6);
    const weekday = rows.filter((r) => day(r) >= 1 && day(r) <= 5);
    expect(mean(weekend, "it_load_kw")).toBeLessThan(mean(weekday, "it_load_kw") * 0.95);
  });

  it("has price and carbon shapes: evening price peak, midday solar dip in carbon, different site means", () => {
    const rows = [...demoRows(days("2026-06-08T00:00:00Z", 14))];
    const evening = rows.filter((r) => hour(r) >= 17 && hour(r) < 21);
    const night = rows.filter((r) => hour(r) < 5);
    const midday = rows.filter((r) => hour(r) >= 11 && hour(r) < 14);
    expect(mean(evening, "energy_price_usd_per_kwh")).toBeGreaterThan(mean(night, "energy_price_usd_per_kwh") + 0.04);
    expect(mean(midday, "carbon_intensity_gco2_per_kwh")).toBeLessThan(
      mean(night, "carbon_intensity_gco2_per_kwh") - 30,
    );
    const site = (id: string) => rows.filter((r) => r.site_id === id);
    expect(mean(site("ams1"), "carbon_intensity_gco2_per_kwh")).toBeGreaterThan(
      mean(site("mad1"), "carbon_intensity_gco2_per_kwh") + 50,
    );
  });
});

describe("demo data: the setpoint raise", () => {
  const june = "2026-06-08T00:00:00Z";
  const before = [...demoRows(week(june, { setpointChange: noChange }))];
  const after = [...demoRows(week(june))];

  it("leaves weather, IT load, price and carbon unchanged", () => {
    expect(after.length).toBe(before.length);
    for (const k of [
      "it_load_kw",
      "outdoor_temp_c",
      "energy_price_usd_per_kwh",
      "carbon_intensity_gco2_per_kwh",
    ] as const) {
      expect(after.map((r) => r[k])).toEqual(before.map((r) => r[k]));
    }
    expect(before.every((r) => r.cooling_setpoint_c === 22)).toBe(true);
    expect(after.every((r) => r.cooling_setpoint_c === 24)).toBe(true);
  });

  it("cuts chiller energy by 4–12 % at equal weather and load, and never raises it", () => {
    const cut = 1 - sum(after, "chiller_kw") / sum(before, "chiller_kw");
    expect(cut).toBeGreaterThan(0.04);
    expect(cut).toBeLessThan(0.12);
    after.forEach((r, i) => expect(r.chiller_kw).toBeLessThanOrEqual(before[i]!.chiller_kw));
    // The facility saves what the chiller saves; fans are unchanged.
    expect(sum(after, "fan_power_kw")).toBe(sum(before, "fan_power_kw"));
    const saved = sum(before, "facility_power_kw") - sum(after, "facility_power_kw");
    expect(saved).toBeCloseTo(sum(before, "chiller_kw") - sum(after, "chiller_kw"), -2);
  });

  it("raises rack inlets by the setpoint delta and brings hotspots on hot afternoons only", () => {
    expect(mean(after, "avg_rack_inlet_c") - mean(before, "avg_rack_inlet_c")).toBeCloseTo(2, 1);
    expect(mean(after, "p95_rack_inlet_c") - mean(before, "p95_rack_inlet_c")).toBeCloseTo(2, 1);
    expect(sum(after, "hotspot_rack_count")).toBeGreaterThan(10 * Math.max(1, sum(before, "hotspot_rack_count")));
    const hot = after.filter((r) => r.hotspot_rack_count > 0);
    // Most rows have no hotspot; nearly all hot racks are on hot days and afternoons, few at night.
    expect(hot.length).toBeLessThan(after.length / 2);
    expect(
      sum(
        hot.filter((r) => r.outdoor_temp_c > 22),
        "hotspot_rack_count",
      ),
    ).toBeGreaterThan(0.98 * sum(hot, "hotspot_rack_count"));
    expect(
      sum(
        hot.filter((r) => hour(r) >= 10 && hour(r) < 21),
        "hotspot_rack_count",
      ),
    ).toBeGreaterThan(0.9 * sum(hot, "hotspot_rack_count"));
    const nights = after.filter((r) => hour(r) < 6);
    expect(nights.filter((r) => r.hotspot_rack_count > 0).length).toBeLessThan(0.01 * nights.length);
  });
});
