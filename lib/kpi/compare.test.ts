// Issue 17 item 5: changes against a near-empty previous period read "▲ 2714 %", hotspot-hours
// from 0 said "no previous period", a missing column said "no previous period to compare",
// temperatures changed in %, and more IT energy was coloured as bad.
import { describe, expect, it } from "vitest";
import { compareKpi } from "./compare";
import type { Kpis } from "./kpis";

const kpis = (over: Partial<Kpis> = {}): Kpis => ({
  facilityKwh: 1000,
  itKwh: 800,
  pue: 1.25,
  coolingKwh: 150,
  coolingShare: 0.15,
  cost: 200,
  currency: "EUR",
  co2eKg: 300,
  avgInletC: 22,
  p95InletC: 25,
  p95InletWorst: "mad1/c01/hall-a",
  hotspotHours: 3,
  coverage: 0.97,
  rows: 96,
  series: 1,
  ...over,
});

describe("compareKpi", () => {
  it("gives no % change of a sum against a near-empty previous period, and says why", () => {
    const c = compareKpi("facility", kpis(), kpis({ facilityKwh: 35.5, coverage: 0.034, rows: 4 }));
    expect(c.kind).toBe("none");
    expect(c.text).toBe("not compared: coverage 97.0 % vs 3.4 % in the previous period");
  });

  it("compares sums in % when coverages are within 5 points", () => {
    const c = compareKpi("facility", kpis({ facilityKwh: 1100 }), kpis({ coverage: 0.95 }));
    expect(c).toMatchObject({ kind: "relative", tone: "bad", text: "▲ 10.0 % vs previous period" });
    expect(c.delta).toBeCloseTo(0.1, 12);
  });

  it("shows coverage in percentage points", () => {
    const c = compareKpi("coverage", kpis({ coverage: 0.97 }), kpis({ coverage: 0.034 }));
    expect(c).toMatchObject({ kind: "absolute", unit: "pp", tone: "good" });
    expect(c.text).toBe("▲ 93.6 pp vs previous period");
  });

  it("shows temperature changes in K, lower is better", () => {
    const c = compareKpi("p95", kpis({ p95InletC: 24.6 }), kpis({ p95InletC: 25 }));
    expect(c).toMatchObject({ kind: "absolute", unit: "K", tone: "good", text: "▼ 0.40 K vs previous period" });
  });

  it("compares hotspot-hours from 0 in hours instead of saying there is no previous period", () => {
    const c = compareKpi("hotspots", kpis({ hotspotHours: 3 }), kpis({ hotspotHours: 0 }));
    expect(c).toMatchObject({
      kind: "absolute",
      unit: "h",
      tone: "bad",
      text: "▲ 3.0 h vs previous period (was 0.0 h)",
    });
  });

  it("colours IT energy as neutral", () => {
    expect(compareKpi("it", kpis({ itKwh: 900 }), kpis()).tone).toBe("neutral");
    expect(compareKpi("pue", kpis({ pue: 1.2 }), kpis()).tone).toBe("good");
  });

  it("names a missing column as the reason, not a missing previous period", () => {
    const c = compareKpi("cost", kpis({ cost: null, currency: null }), kpis());
    expect(c.kind).toBe("none");
    expect(c.valueReason).toContain("no energy price");
    expect(c.text).not.toContain("previous period");
    expect(compareKpi("co2e", kpis(), kpis({ co2eKg: null })).text).toBe(
      "previous period: the data has no grid carbon intensity",
    );
    expect(compareKpi("inlet", kpis(), kpis({ rows: 0, coverage: null })).text).toBe(
      "no data in the previous period to compare",
    );
  });

  it("needs half the intervals in each period for ratios and averages", () => {
    expect(compareKpi("pue", kpis(), kpis({ coverage: 0.3 })).kind).toBe("none");
    expect(compareKpi("pue", kpis({ pue: 1.3 }), kpis({ coverage: 0.6 })).kind).toBe("relative");
  });
});
