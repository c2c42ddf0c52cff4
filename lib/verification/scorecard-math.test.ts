import { describe, expect, it } from "vitest";
import { comparePrediction } from "./compare";
import { buildScorecard, type ScorecardItem } from "./scorecard-math";

function item(
  id: string,
  engine: string,
  category: string,
  predictedKw: number,
  verified: { kwh: number; u90: number } | null,
): ScorecardItem {
  const report = verified
    ? {
        id: "00000000-0000-4000-8000-000000000000",
        results: {
          granularity: "daily" as const,
          savings: {
            intervals: 10,
            avoidedKwh: verified.kwh,
            uncertainty90: { absoluteKwh: verified.u90 / 2 },
            calibrated90: { absoluteKwh: verified.u90, validated: true },
            calibrationNote: null,
            avoidedCost: null,
            avoidedCo2eKg: null,
            currency: null,
          },
          sufficiency: { baseline: { coverage: 1 }, reporting: { expected: 10 } },
          acceptance: { sufficiency: true },
        } as never,
      }
    : null;
  return {
    recommendationId: id,
    recId: id,
    tenantId: "t",
    siteId: "s",
    category,
    engine,
    effectiveAt: "2026-06-01T00:00:00Z",
    comparison: comparePrediction({
      impact: { facility_power_kw_delta: predictedKw, co2e_kg_per_day_delta: 0 },
      boundary: "cooling",
      reportingHours: 240,
      report,
    }),
  };
}

describe("buildScorecard", () => {
  it("groups per engine and category, sums predicted and verified over verified items, combines uncertainties in quadrature", () => {
    // 10 daily intervals = 240 h: −10 kW predicts 2,400 kWh.
    const s = buildScorecard([
      item("a", "ref 1", "cooling_setpoint", -10, { kwh: 3000, u90: 300 }), // confirmed, prediction below
      item("b", "ref 1", "cooling_setpoint", -10, { kwh: 100, u90: 400 }), // band −300..500: not confirmed
      item("c", "ref 1", "cooling_setpoint", -10, null), // waiting: inconclusive
      item("d", "ref 2", "fan_speed", -5, { kwh: 1200, u90: 100 }),
    ]);
    expect(
      s.groups.map((g) => [
        g.engine,
        g.category,
        g.implemented,
        g.verified,
        g.confirmed,
        g.notConfirmed,
        g.inconclusive,
      ]),
    ).toEqual([
      ["ref 1", "cooling_setpoint", 3, 2, 1, 1, 1],
      ["ref 2", "fan_speed", 1, 1, 1, 0, 0],
    ]);
    const g = s.groups[0]!;
    expect(g.conclusive).toBe(2);
    expect(g.confirmedShare).toBeCloseTo(1 / 2, 12); // of the conclusive ones: a and b
    expect(g.predictedKwh).toBeCloseTo(4800, 9);
    expect(g.verifiedKwh).toBe(3100);
    expect(g.verifiedU90Kwh).toBeCloseTo(500, 9); // √(300² + 400²)
    expect(s.total.implemented).toBe(4);
    expect(s.points).toHaveLength(3);
    expect(s.misses.map((m) => [m.recommendationId, Math.round(m.missKwh)])).toEqual([
      ["b", -2300],
      ["a", 600],
      ["d", 0],
    ]);
  });

  it("keeps inconclusive verifications out of the totals and lists them apart (hand-computed)", () => {
    // 240 h each: −10 kW predicts 2,400 kWh.
    const s = buildScorecard([
      item("a", "ref 1", "cooling_setpoint", -10, { kwh: 3000, u90: 300 }), // band 2700..3300: confirmed
      item("e", "ref 1", "cooling_setpoint", -10, { kwh: 1000, u90: 1500 }), // −500..2500 holds 0 and 2400: inconclusive
      item("c", "ref 1", "cooling_setpoint", -10, null), // no report yet: inconclusive
    ]);
    expect(s.items.find((i) => i.recommendationId === "e")!.comparison.verdict).toBe("inconclusive");
    expect(s.total).toMatchObject({
      implemented: 3,
      verified: 2,
      conclusive: 1,
      confirmed: 1,
      notConfirmed: 0,
      inconclusive: 2,
      confirmedShare: 1,
      verifiedKwh: 3000,
      verifiedU90Kwh: 300,
    });
    expect(s.total.predictedKwh).toBeCloseTo(2400, 9); // a only, not a + e (4,800)
    expect(s.inconclusive.map((i) => i.recommendationId)).toEqual(["e", "c"]);
    expect(s.misses.map((m) => m.recommendationId)).toEqual(["a"]);
  });

  it("is empty without implementations", () => {
    const s = buildScorecard([]);
    expect(s.groups).toEqual([]);
    expect(s.total).toMatchObject({ implemented: 0, confirmedShare: null, verifiedU90Kwh: 0 });
  });
});

describe("comparePrediction and the calibrated band", () => {
  const report = (savings: object) => ({
    id: "00000000-0000-4000-8000-000000000000",
    results: {
      granularity: "daily" as const,
      savings: {
        intervals: 10,
        avoidedKwh: 3000,
        uncertainty90: { absoluteKwh: 300 },
        avoidedCost: null,
        avoidedCo2eKg: null,
        currency: null,
        ...savings,
      },
      sufficiency: { baseline: { coverage: 1 }, reporting: { expected: 10 } },
      acceptance: { sufficiency: true },
    } as never,
  });
  const compare = (savings: object) =>
    comparePrediction({
      impact: { facility_power_kw_delta: -10, co2e_kg_per_day_delta: 0 },
      boundary: "cooling",
      reportingHours: 240,
      report: report(savings),
    });

  it("judges on the calibrated band and keeps Guideline 14's for reference", () => {
    const c = compare({ calibrated90: { absoluteKwh: 3500, validated: true }, calibrationNote: null });
    expect(c.verified).toMatchObject({ energyU90Kwh: 3500, g14U90Kwh: 300, uncalibrated: null });
    expect(c.verdict).toBe("inconclusive"); // −500..6500 contains zero and the prediction (2,400)
  });

  it("is inconclusive on a report without a calibrated band, or with one not validated", () => {
    expect(compare({}).verdict).toBe("inconclusive");
    expect(compare({}).verified?.uncalibrated).toContain("mv-2.0");
    const weatherBlind = compare({
      calibrated90: { absoluteKwh: 500, validated: false },
      calibrationNote: "not validated",
    });
    expect(weatherBlind.verdict).toBe("inconclusive");
    expect(weatherBlind.reasons[0]).toContain("not validated");
  });
});
