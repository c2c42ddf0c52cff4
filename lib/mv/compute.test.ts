import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/audit/canonical";
import { computeStudy } from "./compute";
import { MvError } from "./errors";
import type { Interval } from "./intervals";
import { StudySpecSchema, type StudySpecInput } from "./spec";

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");

/** Daily intervals: energy = 50 + 0.2·IT + 8·CDD(12 °C) + noise, minus `saving` kWh a day from day `cut`. */
function days(n: number, cut: number, saving: number): Interval[] {
  let s = 7;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, d) => {
    const temps = Array.from(
      { length: 24 },
      (_, h) => 8 + d * 0.15 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + rand(),
    );
    const cdd = temps.reduce((a, t) => a + Math.max(0, t - 12), 0) / 24;
    const it = 1000 + 80 * Math.sin(d / 3) + 10 * rand();
    const energy = 50 + 0.2 * it + 8 * cdd + 3 * rand() - (d >= cut ? saving : 0);
    return {
      startMs: T0 + d * DAY,
      energyKwh: energy,
      itKwh: it,
      facilityKwh: it * 1.4,
      hourlyTempsC: temps,
      pricePerKwh: 0.1,
      carbonGPerKwh: 250,
    };
  });
}

const base: StudySpecInput = {
  boundary: "cooling",
  source: { massUntil: "2030-01-01T00:00:00Z" },
  baseline: { from: "2026-03-01T00:00:00Z", to: "2026-04-30T00:00:00Z" },
  reporting: { from: "2026-04-30T00:00:00Z", to: "2026-05-30T00:00:00Z" },
  granularity: "daily",
  model: { kind: "ols_it_cdd", balancePointC: null },
};

function run(spec: StudySpecInput, data = days(90, 60, 20)) {
  return computeStudy(StudySpecSchema.parse(spec), {
    baseline: data.slice(0, 60),
    reporting: data.slice(60),
    currency: "USD",
  });
}

describe("computeStudy", () => {
  it("finds the balance point and the saving it was given", () => {
    const r = run(base);
    expect(r.model.balancePointC).toBe(12);
    expect(r.savings.intervals).toBe(30);
    expect(Math.abs(r.savings.avoidedKwh - 600)).toBeLessThan(r.savings.uncertainty90.absoluteKwh);
    expect(r.savings.avoidedCost).toBeCloseTo(r.savings.avoidedKwh * 0.1, 8);
    expect(r.savings.avoidedCo2eKg).toBeCloseTo((r.savings.avoidedKwh * 250) / 1000, 8);
    expect(r.acceptance.cvRmse.pass).toBe(true);
    expect(r.reportingSeries.cumulativeKwh.at(-1)).toBeCloseTo(r.savings.avoidedKwh, 8);
  });

  it("gives the same bytes for the same inputs", () => {
    expect(canonicalJson(run(base))).toBe(canonicalJson(run(base)));
  });

  it("applies exclusions to the baseline and adjustments to the savings", () => {
    const plain = run(base);
    const r = run({
      ...base,
      assumptions: {
        exclusions: [{ from: "2026-03-10T00:00:00Z", to: "2026-03-15T00:00:00Z", reason: "chiller maintenance" }],
        adjustments: [{ at: "2026-05-10T12:00:00Z", kwh: -250, reason: "new rack row commissioned" }],
      },
    });
    expect(r.fit.n).toBe(plain.fit.n - 5);
    expect(r.sufficiency.baseline.excluded).toBe(5);
    expect(r.savings.nonRoutineKwh).toBe(-250);
    expect(r.savings.avoidedKwh).toBeCloseTo(r.savings.routineKwh - 250, 8);
  });

  it("flags insufficient data instead of passing", () => {
    const data = days(90, 60, 20);
    const r = computeStudy(StudySpecSchema.parse(base), {
      baseline: data.slice(0, 20),
      reporting: data.slice(60),
      currency: "USD",
    });
    expect(r.sufficiency.baseline.coverage).toBeCloseTo(20 / 60, 12);
    expect(r.sufficiency.baseline.pass).toBe(false);
    expect(r.acceptance.pass).toBe(false);
  });

  it("refuses a model whose variable is missing, naming the interval", () => {
    const data = days(90, 60, 20);
    data[3] = { ...data[3]!, itKwh: null };
    expect(() => run(base, data)).toThrow(MvError);
    expect(() => run(base, data)).toThrow(/IT energy is missing at 2026-03-04T00:00:00.000Z/);
  });

  it("refuses TOWT on daily data at the specification", () => {
    const parsed = StudySpecSchema.safeParse({ ...base, model: { kind: "towt" } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain("TOWT needs hourly granularity");
  });

  it("refuses periods that overlap or are not on whole days", () => {
    const parsed = StudySpecSchema.safeParse({
      ...base,
      reporting: { from: "2026-04-20T06:00:00Z", to: "2026-05-30T00:00:00Z" },
    });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("reporting.from: the reporting period must start when or after the baseline ends");
    expect(messages).toContain("reporting.from: must fall on a whole UTC day");
  });
});
