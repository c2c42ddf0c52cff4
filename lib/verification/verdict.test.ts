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
    expect(verdictOf({ predictedKwh: 100, verified: null })).toMatchObject({
      verdict: "inconclusive",
      position: null,
      band: null,
    });
    const r = verdictOf({
      predictedKwh: 100,
      verified: { ...at(100, 10, false), sufficiencyNote: "reporting coverage 40 %" },
    });
    expect(r.verdict).toBe("inconclusive");
    expect(r.reasons[0]).toContain("reporting coverage 40 %");
  });

  // Issue 17 item 7: a closed verification's card said both "no verdict until the reporting period
  // has enough data" and "reporting period over, final report".
  it("does not promise more data once the verification is final", () => {
    const open = verdictOf({
      predictedKwh: 100,
      verified: { ...at(100, 10, false), sufficiencyNote: "reporting 20 of 30 intervals" },
    });
    expect(open.reasons[0]).toContain("no verdict until");
    const closed = verdictOf({
      predictedKwh: 100,
      verified: { ...at(100, 10, false), sufficiencyNote: "reporting 20 of 30 intervals" },
      final: true,
    });
    expect(closed.verdict).toBe("inconclusive");
    expect(closed.reasons.join(" ")).not.toMatch(/until|yet/);
    expect(closed.reasons[0]).toContain("final report gives no verdict");
    const never = verdictOf({ predictedKwh: 100, verified: null, final: true });
    expect(never.reasons.join(" ")).not.toMatch(/until|yet/);
  });

  it("states the band and where the prediction lies", () => {
    const r = verdictOf({ predictedKwh: 12_000, verified: at(14_735, 1_846) });
    expect(r.band).toEqual({ lowKwh: 14_735 - 1_846, highKwh: 14_735 + 1_846 });
    expect(r.reasons.join(" ")).toContain("lies below the band");
  });
});

describe("verdictOf without a calibrated band", () => {
  it("never confirms on an uncalibrated band, and says why", () => {
    const r = verdictOf({
      predictedKwh: 100,
      verified: { ...at(100, 10), uncalibrated: "the baseline could not be cross-validated" },
    });
    expect(r.verdict).toBe("inconclusive");
    expect(r.reasons[0]).toContain("not calibrated");
    expect(r.reasons[0]).toContain("could not be cross-validated");
  });
});
