import { describe, expect, it } from "vitest";
import { cvRmse, effectiveN, lag1Autocorrelation, nmbe, savingsUncertainty, tValue } from "./g14";

describe("ASHRAE Guideline 14 statistics", () => {
  it("CV(RMSE) and NMBE divide by n − p", () => {
    expect(cvRmse(18, 12, 3, 10)).toBeCloseTo(Math.sqrt(2) / 10, 14);
    expect(nmbe(4.5, 12, 3, 10)).toBeCloseTo(0.05, 14);
  });

  it("lag-1 autocorrelation and the effective number of points", () => {
    expect(lag1Autocorrelation([1, 1, 1, 1])).toBeCloseTo(0.75, 14);
    expect(lag1Autocorrelation([1, -1, 1, -1])).toBeCloseTo(-0.75, 14);
    expect(effectiveN(100, 0.5)).toBeCloseTo(100 / 3, 12);
    expect(effectiveN(100, -0.3)).toBe(100);
  });

  it("t quantiles match the tables", () => {
    // Student t, two-sided 90 %: 1.812 at 10 df, 1.645 as df → ∞; 68 %: ≈ 0.9945 at ∞.
    expect(tValue(0.9, 10)).toBeCloseTo(1.8125, 4);
    expect(tValue(0.9, 1e7)).toBeCloseTo(1.6449, 4);
    expect(tValue(0.68, 1e7)).toBeCloseTo(0.9945, 4);
  });

  it("savings uncertainty per G14 Annex B with the autocorrelation correction", () => {
    const u = savingsUncertainty({
      confidence: 0.9,
      cv: 0.1,
      meanY: 100,
      n: 90,
      nEffective: 30,
      p: 3,
      m: 30,
      savingsKwh: 300,
    });
    const expected = tValue(0.9, 27) * 1.26 * 0.1 * 100 * Math.sqrt(3 * (1 + 2 / 30) * 30);
    expect(u.absoluteKwh).toBeCloseTo(expected, 10);
    expect(u.fractional).toBeCloseTo(expected / 300, 12);
    expect(
      savingsUncertainty({ confidence: 0.9, cv: 0.1, meanY: 100, n: 90, nEffective: 90, p: 3, m: 30, savingsKwh: 0 })
        .fractional,
    ).toBeNull();
  });
});
