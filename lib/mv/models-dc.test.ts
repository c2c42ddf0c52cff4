// The dc_lift model and the automatic selection, checked by hand on small data sets.
import { describe, expect, it } from "vitest";
import { computeStudy } from "./compute";
import type { Interval } from "./intervals";
import { fitModel, itLift } from "./models";
import { crossValidate, selectModel } from "./select";
import { StudySpecSchema } from "./spec";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");

/** Hourly intervals: energy = 5 + 0.1·IT + 0.02·IT·max(0, T − 15) (+ noise), T and IT varying. */
function hours(n: number, noise = 0): Interval[] {
  let s = 11;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, i) => {
    const t = 10 + 0.02 * i + 6 * Math.sin((((i % 24) - 9) / 24) * 2 * Math.PI);
    const it = 100 + 20 * Math.sin(i / 17) + 5 * Math.cos(i / 5);
    return {
      startMs: T0 + i * HOUR,
      energyKwh: 5 + 0.1 * it + 0.02 * it * Math.max(0, t - 15) + noise * rand(),
      itKwh: it,
      facilityKwh: it * 1.3,
      hourlyTempsC: [t],
      pricePerKwh: 0.1,
      carbonGPerKwh: 200,
    };
  });
}

describe("dc_lift", () => {
  it("computes the IT × lift term per hour, with a day's hourly IT when it has it", () => {
    const hour: Interval = {
      startMs: T0,
      energyKwh: 1,
      itKwh: 100,
      facilityKwh: null,
      hourlyTempsC: [18],
      pricePerKwh: null,
      carbonGPerKwh: null,
    };
    expect(itLift(hour, 15)).toBe(300); // 100 kWh × 3 °C
    expect(itLift(hour, 20)).toBe(0);
    const temps = Array.from({ length: 24 }, (_, h) => (h < 12 ? 10 : 20)); // 12 hours 5 °C above 15 °C
    const itHourly = Array.from({ length: 24 }, (_, h) => (h < 12 ? 1 : 3)); // the warm hours carry 3 kWh each
    const day: Interval = {
      startMs: T0,
      energyKwh: 1,
      itKwh: 48,
      facilityKwh: null,
      hourlyTempsC: temps,
      hourlyItKwh: itHourly,
      pricePerKwh: null,
      carbonGPerKwh: null,
    };
    expect(itLift(day, 15)).toBe(12 * 3 * 5);
    const { hourlyItKwh: _drop, ...evenDay } = day;
    expect(itLift(evenDay, 15)).toBe(12 * 2 * 5); // 48 kWh spread evenly: 2 kWh an hour
  });

  it("recovers exact coefficients at a fixed balance point and finds it by search", () => {
    const data = hours(500);
    const fixed = fitModel({ kind: "dc_lift", balancePointC: 15 }, data, "hourly");
    expect(fixed.fit.coefficients.map((c) => c.name)).toEqual(["intercept", "it_kwh", "it_lift_15"]);
    const [b0, b1, b2] = fixed.fit.coefficients.map((c) => c.estimate);
    expect(b0).toBeCloseTo(5, 8);
    expect(b1).toBeCloseTo(0.1, 10);
    expect(b2).toBeCloseTo(0.02, 10);
    const searched = fitModel({ kind: "dc_lift", balancePointC: null }, data, "hourly");
    expect(searched.balancePointC).toBe(15);
    expect(searched.balancePointSearch).toHaveLength(17);
  });
});

describe("blocked cross-validation and auto", () => {
  it("cuts the baseline into five contiguous folds covering every interval once", () => {
    const cv = crossValidate({ kind: "ols_it" }, hours(103, 1), "hourly");
    expect(cv.folds.map((f) => [f.from, f.to])).toEqual([
      [0, 20],
      [20, 41],
      [41, 61],
      [61, 82],
      [82, 103],
    ]);
    expect(cv.folds.reduce((s, f) => s + f.n, 0)).toBe(103);
    expect(cv.folds.every((f) => f.tempShiftC !== null)).toBe(true);
  });

  it("picks the model with the lowest held-out error and records every candidate", () => {
    const { model, selection } = selectModel({ kind: "auto" }, hours(24 * 14, 0.5), "hourly");
    expect(selection.candidates.map((c) => c.kind)).toEqual(["mean", "ols_it", "ols_it_cdd", "dc_lift", "towt"]);
    expect(selection.chosen).toBe("dc_lift");
    expect(model.kind).toBe("dc_lift");
    const best = Math.min(...selection.candidates.flatMap((c) => (c.cvRmse === null ? [] : [c.cvRmse])));
    expect(selection.candidates.find((c) => c.kind === "dc_lift")!.cvRmse).toBe(best);
    expect(model.notes[0]).toContain("lowest held-out CV(RMSE)");
  });

  it("reports the selection and both bands; an explicit model reproduces without a selection", () => {
    const data = hours(24 * 21, 0.5);
    const spec = (kind: "auto" | "dc_lift") =>
      StudySpecSchema.parse({
        boundary: "cooling",
        source: { massUntil: "2030-01-01T00:00:00Z" },
        baseline: { from: "2026-03-01T00:00:00Z", to: "2026-03-15T00:00:00Z" },
        reporting: { from: "2026-03-15T00:00:00Z", to: "2026-03-22T00:00:00Z" },
        granularity: "hourly",
        model: { kind, balancePointC: null },
      });
    const split = T0 + 14 * 24 * HOUR;
    const input = {
      baseline: data.filter((iv) => iv.startMs < split),
      reporting: data.filter((iv) => iv.startMs >= split),
      currency: "USD",
    };
    const auto = computeStudy(spec("auto"), input);
    const explicit = computeStudy(spec("dc_lift"), input);
    expect(auto.selection?.chosen).toBe("dc_lift");
    expect(explicit.selection).toBeNull();
    expect(explicit.savings.avoidedKwh).toBe(auto.savings.avoidedKwh);
    for (const r of [auto, explicit]) {
      expect(r.savings.calibrated90).not.toBeNull();
      expect(r.savings.calibrated90!.absoluteKwh).toBeGreaterThanOrEqual(r.savings.uncertainty90.absoluteKwh);
      expect(r.savings.calibrated90!.validated).toBe(true);
      expect(r.crossValidation?.folds).toBe(5);
    }
  });
});
