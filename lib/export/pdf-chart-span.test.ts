import { describe, expect, it } from "vitest";
import { niceTicks, valueSpan } from "./pdf-chart";

describe("a PDF chart's value axis", () => {
  it("is not stretched to zero, so a 4.7 % saving fills the plot instead of a line", () => {
    expect(valueSpan([1000, 953], false)).toEqual([953, 1000]);
    const t = niceTicks(...valueSpan([1000, 953], false));
    // Worked by hand: a 47 span over 4 ticks → step 20 → 940…1000.
    expect(t).toMatchObject({ lo: 940, hi: 1000, step: 20 });
    expect((1000 - 953) / (t.hi - t.lo)).toBeGreaterThan(0.5);
  });

  it("includes zero when asked", () => {
    expect(valueSpan([240, 260], true)).toEqual([0, 260]);
    expect(valueSpan([-5, -3], true)).toEqual([-5, 0]);
  });

  it("widens a nearly flat series to 2 % of its magnitude, centred, never across zero", () => {
    const [lo, hi] = valueSpan([250, 250.1], false);
    expect(hi - lo).toBeCloseTo(5.002, 9);
    expect((lo + hi) / 2).toBeCloseTo(250.05, 9);
    expect(valueSpan([0, 0.001], false)).toEqual([0, 0.001]);
    const [l2, h2] = valueSpan([0.0001, 0.0001], false);
    expect(l2).toBeGreaterThanOrEqual(0);
    expect(h2).toBeGreaterThan(0.0001);
    const [l3, h3] = valueSpan([-0.0001, -0.0001], false);
    expect(h3).toBeLessThanOrEqual(0);
    expect(l3).toBeLessThan(-0.0001);
  });
});
