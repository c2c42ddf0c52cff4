import { describe, expect, it } from "vitest";
import { verdictOf } from "./verdict";

const at = (avoidedKwh: number, u90Kwh: number, sufficient = true) => ({ avoidedKwh, u90Kwh, sufficient });

describe("verdictOf", () => {
  it.each([
    // [predicted, avoided, u90, verdict, position]
    [100, 100, 50, "confirmed", "inside"], // band 50..150
    [150, 100, 50, "confirmed", "inside"], // prediction on the upper bound: inside (closed band)
    [50, 100, 50, "confirmed", "inside"], // on the lower bound
    [151, 100, 50, "confirmed", "above"],
    [49, 100, 50, "confirmed", "below"],
    [101, 50.000001, 50, "confirmed", "above"], // low just above zero
    [40, 50, 50, "inconclusive", "inside"], // low exactly zero: the band contains zero and the prediction
    [0, 10, 50, "inconclusive", "inside"], // prediction of nothing, band around zero
    [100, 10, 50, "not_confirmed", "above"], // band -40..60 contains zero, not the prediction
    [-100, 10, 50, "not_confirmed", "below"],
    [100, -100, 50, "not_confirmed", "above"], // consumption rose
    [-100, -100, 50, "not_confirmed", "inside"], // an increase, predicted and confirmed as such: not a saving
  ] as const)("predicted %d vs %d ± %d → %s (%s)", (predicted, avoided, u, verdict, position) => {
    const r = verdictOf({ predictedKwh: predicted, verified: at(avoided, u) });
    expect(r.verdict).toBe(verdict);
    expect(r.position).toBe(position);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it("is inconclusive without a report, and with insufficient data whatever the band says", () => {
    expect(verdictOf({ predictedKwh: 100, verified: null })).toMatchObject({ verdict: "inconclusive", position: null, band: null });
    const r = verdictOf({ predictedKwh: 100, verified: { ...at(100, 10, false), sufficiencyNote: "reporting coverage 40 %" } });
    expect(r.verdict).toBe("inconclusive");
    expect(r.reasons[0]).toContain("reporting coverage 40 %");
  });

  it("states the band and where the prediction lies", () => {
    const r = verdictOf({ predictedKwh: 12_000, verified: at(14_735, 1_846) });
    expect(r.band).toEqual({ lowKwh: 14_735 - 1_846, highKwh: 14_735 + 1_846 });
    expect(r.reasons.join(" ")).toContain("lies below the band");
  });
});
