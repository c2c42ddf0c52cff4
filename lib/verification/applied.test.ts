import { describe, expect, it } from "vitest";
import { appliedVsSuggested } from "./applied";
import { comparePrediction } from "./compare";

const setpoint = { type: "set_cooling_setpoint", target: "z1", current: 21, suggested: 22.8, delta: 1.8, units: "C" };
const predicted = { energyKwh: 1800, co2eKg: 90, cost: 270 };

describe("applied vs suggested", () => {
  it("scales the prediction by applied change ÷ suggested change (hand-computed)", () => {
    const a = appliedVsSuggested(setpoint, 24, predicted)!;
    // (24 − 21) ÷ (22.8 − 21) = 3 ÷ 1.8 = 5/3.
    expect(a.differs).toBe(true);
    expect(a.factor).toBeCloseTo(5 / 3, 12);
    expect(a.scaled!.energyKwh).toBeCloseTo(3000, 9);
    expect(a.scaled!.co2eKg).toBeCloseTo(150, 9);
    expect(a.scaled!.cost).toBeCloseTo(450, 9);
    expect(a.notApplicable).toBeNull();
    expect(a.text).toBe("applied 24 °C, suggested 22.8 °C");
    // A smaller change than suggested scales down: (21.9 − 21) ÷ 1.8 = 0.5.
    expect(appliedVsSuggested(setpoint, 21.9, predicted)!.scaled!.energyKwh).toBeCloseTo(900, 9);
  });

  it("flags the prediction not applicable when a change is zero, goes the other way, or has no reference", () => {
    expect(appliedVsSuggested(setpoint, 20, predicted)).toMatchObject({
      factor: null,
      scaled: null,
      notApplicable: "the change applied goes the other way from the suggestion",
    });
    expect(appliedVsSuggested(setpoint, 21, predicted)!.notApplicable).toBe("the applied value changes nothing");
    expect(appliedVsSuggested({ ...setpoint, current: null }, 24, predicted)!.notApplicable).toMatch(
      /no current value/,
    );
    expect(appliedVsSuggested({ ...setpoint, suggested: null }, 24, predicted)!.notApplicable).toMatch(/no value/);
    expect(appliedVsSuggested({ ...setpoint, suggested: 21 }, 24, predicted)!.notApplicable).toBe(
      "the suggestion changes nothing",
    );
  });

  it("says so when applied as suggested, and is null without an applied value", () => {
    expect(appliedVsSuggested(setpoint, 22.8, predicted)).toMatchObject({ differs: false, factor: 1, scaled: null });
    expect(appliedVsSuggested(setpoint, null, predicted)).toBeNull();
  });

  it("is part of predicted vs verified, beside the prediction as made", () => {
    const c = comparePrediction({
      impact: { facility_power_kw_delta: -10, co2e_kg_per_day_delta: 0 },
      boundary: "cooling",
      reportingHours: 240,
      report: null,
      applied: { action: setpoint, value: 24 },
    });
    expect(c.predicted.energyKwh).toBe(2400);
    expect(c.applied!.scaled!.energyKwh).toBeCloseTo(4000, 9);
  });
});
