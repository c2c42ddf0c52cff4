import { describe, expect, it } from "vitest";
import { mapHeader } from "./columns";
import { DEFAULT_DEMO, DEMO_COLUMNS, demoCsvLines, demoOptionsForRows, demoRows, type DemoOptions, type DemoRow } from "./demo-data";
import { parseRow } from "./rows";

const week = (start: string, extra: Partial<DemoOptions> = {}): DemoOptions => ({ ...DEFAULT_DEMO, start: new Date(start), days: 7, ...extra });
const sum = (rows: DemoRow[], key: keyof DemoRow) => rows.reduce((n, r) => n + (r[key] as number), 0);
const clusters = DEFAULT_DEMO.sites.reduce((n, s) => n + s.clusters.length, 0);

describe("demo data", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = [...demoCsvLines(week("2026-03-01T00:00:00Z"))].join("\n");
    const b = [...demoCsvLines(week("2026-03-01T00:00:00Z"))].join("\n");
    const c = [...demoCsvLines(week("2026-03-01T00:00:00Z", { seed: 7 }))].join("\n");
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("has the documented header and row count", () => {
    const lines = [...demoCsvLines(week("2026-03-01T00:00:00Z", { days: 2 }))];
    expect(lines[0]).toBe(DEMO_COLUMNS.join(","));
    expect(lines.length - 1).toBe(2 * 96 * clusters);
    expect(DEFAULT_DEMO.days * 96 * clusters).toBe(210_240);
    const big = demoOptionsForRows(1_000_000);
    expect(big.days * 96 * big.sites.reduce((n, s) => n + s.clusters.length, 0)).toBeGreaterThanOrEqual(1_000_000);
  });

  it("passes the upload checks: every value in the contract's ranges, facility ≥ IT", () => {
    const lines = [...demoCsvLines(week("2026-07-10T00:00:00Z"))];
    const headers = lines[0]!.split(",");
    const mapping = mapHeader(headers);
    expect(mapping.errors).toEqual([]);
    expect(mapping.warnings).toEqual([]);
    for (let i = 1; i < lines.length; i++) expect(parseRow(lines[i]!.split(","), headers, mapping, i + 1).problems).toEqual([]);
    for (const r of demoRows(week("2026-01-10T00:00:00Z"))) expect(r.facility_power_kw).toBeGreaterThanOrEqual(r.it_load_kw);
  });

  it("has a plausible PUE, higher in summer than in winter", () => {
    const pue = (start: string) => {
      const rows = [...demoRows(week(start))];
      return sum(rows, "facility_power_kw") / sum(rows, "it_load_kw");
    };
    const winter = pue("2026-01-12T00:00:00Z");
    const summer = pue("2026-07-13T00:00:00Z");
    expect(winter).toBeGreaterThan(1.12);
    expect(summer).toBeLessThan(1.6);
    expect(summer).toBeGreaterThan(winter + 0.05);
  });

  it("has daily and weekly load cycles", () => {
    const rows = [...demoRows(week("2026-03-02T00:00:00Z", { days: 14 }))];
    const mean = (f: (r: DemoRow) => boolean) => {
      const picked = rows.filter(f);
      return sum(picked, "it_load_kw") / picked.length;
    };
    const hour = (r: DemoRow) => Number(r.timestamp_utc.slice(11, 13));
    const day = (r: DemoRow) => new Date(r.timestamp_utc).getUTCDay();
    expect(mean((r) => hour(r) >= 12 && hour(r) < 17)).toBeGreaterThan(mean((r) => hour(r) < 5) * 1.08);
    expect(mean((r) => day(r) === 0 || day(r) === 6)).toBeLessThan(mean((r) => day(r) >= 1 && day(r) <= 5) * 0.95);
  });

  it("cuts chiller energy by about 7 % with the setpoint raise at equal weather and load, and raises the inlet temperature", () => {
    const june = "2026-06-08T00:00:00Z";
    const before = [...demoRows(week(june, { setpointChange: { at: new Date("2030-01-01T00:00:00Z"), fromC: 22, toC: 24 } }))];
    const after = [...demoRows(week(june))];
    expect(sum(after, "it_load_kw")).toBeCloseTo(sum(before, "it_load_kw"), 6);
    const cut = 1 - sum(after, "chiller_kw") / sum(before, "chiller_kw");
    expect(cut).toBeGreaterThan(0.05);
    expect(cut).toBeLessThan(0.09);
    const inletRise = (sum(after, "avg_rack_inlet_c") - sum(before, "avg_rack_inlet_c")) / after.length;
    expect(inletRise).toBeCloseTo(2, 1);
    expect(after.every((r) => r.cooling_setpoint_c === 24)).toBe(true);
  });
});
