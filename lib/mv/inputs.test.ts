// The pure parts of a study's inputs: dated exclusions in the reporting period (left out of the
// savings and of the expected count, listed with their inputs), the Option B boundary's signals,
// the partial-day rule's setting, per-interval model inputs in the results, and degree-days of a
// day built from fewer than 24 hours.
import { describe, expect, it } from "vitest";
import { computeStudy } from "./compute";
import { coolingDegrees, type Interval } from "./intervals";
import { boundarySignalsOf, inputRules, StudySpecSchema, type StudySpecInput } from "./spec";
import { studySpecFromForm } from "./study-form";

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const iso = (t: number) => new Date(t).toISOString();

/** Daily intervals: energy = 50 + 0.2·IT + 8·CDD(12 °C) + noise, minus 20 kWh a day from day 60. */
function days(n: number): Interval[] {
  let s = 11;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, d) => {
    const temps = Array.from(
      { length: 24 },
      (_, h) => 8 + d * 0.15 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + rand(),
    );
    const cdd = temps.reduce((a, t) => a + Math.max(0, t - 12), 0) / 24;
    const it = 1000 + 80 * Math.sin(d / 3) + 10 * rand();
    return {
      startMs: T0 + d * DAY,
      energyKwh: 50 + 0.2 * it + 8 * cdd + 3 * rand() - (d >= 60 ? 20 : 0),
      itKwh: it,
      facilityKwh: it * 1.4,
      hourlyTempsC: temps,
      pricePerKwh: 0.1,
      carbonGPerKwh: 250,
      hoursPresent: 24,
    };
  });
}

const base: StudySpecInput = {
  boundary: "cooling",
  source: { massUntil: "2030-01-01T00:00:00Z" },
  baseline: { from: iso(T0), to: iso(T0 + 60 * DAY) },
  reporting: { from: iso(T0 + 60 * DAY), to: iso(T0 + 90 * DAY) },
  granularity: "daily",
  model: { kind: "ols_it_cdd", balancePointC: 12 },
};

function run(spec: StudySpecInput) {
  const data = days(90);
  return computeStudy(StudySpecSchema.parse(spec), {
    baseline: data.slice(0, 60),
    reporting: data.slice(60),
    currency: "USD",
  });
}

describe("reporting-period exclusions", () => {
  const outage = { from: iso(T0 + 70 * DAY), to: iso(T0 + 72 * DAY), reason: "hall B shut for a fire drill" };

  it("accepts an exclusion within the reporting period and refuses one across both periods", () => {
    expect(StudySpecSchema.safeParse({ ...base, assumptions: { exclusions: [outage] } }).success).toBe(true);
    const across = StudySpecSchema.safeParse({
      ...base,
      assumptions: { exclusions: [{ from: iso(T0 + 59 * DAY), to: iso(T0 + 61 * DAY), reason: "x" }] },
    });
    expect(across.success).toBe(false);
    expect(across.error!.issues[0]!.message).toContain("baseline or the reporting period");
  });

  it("leaves excluded reporting days out of the savings and the expected count, and lists each with its inputs", () => {
    const all = run(base);
    const r = run({ ...base, assumptions: { exclusions: [outage] } });
    expect(r.savings.intervals).toBe(28);
    expect(r.reportingSeries.t).not.toContain(iso(T0 + 70 * DAY));
    expect(r.reportingSeries.t).not.toContain(iso(T0 + 71 * DAY));
    expect(r.sufficiency.reporting).toMatchObject({ expected: 28, complete: 28, excluded: 2, coverage: 1 });
    const kept = all.reportingSeries.savingsKwh.filter((_, j) => j !== 10 && j !== 11).reduce((a, b) => a + b, 0);
    expect(r.savings.avoidedKwh).toBeCloseTo(kept, 8);
    expect(r.excludedIntervals.map((x) => [x.period, x.t, x.reason])).toEqual([
      ["reporting", iso(T0 + 70 * DAY), outage.reason],
      ["reporting", iso(T0 + 71 * DAY), outage.reason],
    ]);
    const day70 = days(90)[70]!;
    expect(r.excludedIntervals[0]).toMatchObject({ actualKwh: day70.energyKwh, itKwh: day70.itKwh, hoursPresent: 24 });
    expect(r.excludedIntervals[0]!.coolingDegrees).toBeCloseTo(coolingDegrees(day70, 12, "daily"), 12);
  });

  it("gives every used interval's inputs, aligned with the series", () => {
    const r = run(base);
    const data = days(90);
    expect(r.inputs.baseline.itKwh).toEqual(data.slice(0, 60).map((d) => d.itKwh));
    expect(r.inputs.reporting.hoursPresent).toEqual(Array(30).fill(24));
    expect(r.inputs.baseline.coolingDegrees![5]).toBeCloseTo(coolingDegrees(data[5]!, 12, "daily"), 12);
    expect(r.inputs.baseline.meanTempC[5]).toBeCloseTo(data[5]!.hourlyTempsC.reduce((a, b) => a + b, 0) / 24, 12);
    expect(run({ ...base, model: { kind: "ols_it" } }).inputs.baseline.coolingDegrees).toBeNull();
    expect(r.inputRules).toEqual({
      boundarySignals: ["chiller_kw", "fan_power_kw"],
      minHoursPerDay: 12,
      staleAfterSeconds: 7200,
      includeFlagged: false,
    });
  });
});

describe("boundary signals and input rules", () => {
  it("defaults Option B to chiller + fans, takes the sub-meters named, and refuses them on a facility boundary", () => {
    expect(boundarySignalsOf(StudySpecSchema.parse(base))).toEqual(["chiller_kw", "fan_power_kw"]);
    expect(boundarySignalsOf(StudySpecSchema.parse({ ...base, boundarySignals: ["chiller_kw"] }))).toEqual([
      "chiller_kw",
    ]);
    expect(boundarySignalsOf(StudySpecSchema.parse({ ...base, boundary: "facility" }))).toEqual(["facility_power_kw"]);
    expect(StudySpecSchema.safeParse({ ...base, boundary: "facility", boundarySignals: ["chiller_kw"] }).success).toBe(
      false,
    );
    expect(StudySpecSchema.safeParse({ ...base, boundarySignals: [] }).success).toBe(false);
    expect(StudySpecSchema.safeParse({ ...base, boundarySignals: ["chiller_kw", "chiller_kw"] }).success).toBe(false);
    expect(StudySpecSchema.safeParse({ ...base, boundarySignals: ["it_load_kw"] }).success).toBe(false);
  });

  it("fixes the partial-day and staleness rules, with CalTRACK's half-day default", () => {
    const spec = StudySpecSchema.parse({
      ...base,
      assumptions: {
        sufficiency: { minHoursPerDay: 20 },
        dataQuality: { includeFlagged: true, staleAfterSeconds: 3600 },
      },
    });
    expect(inputRules(spec)).toEqual({ minHoursPerDay: 20, staleAfterSeconds: 3600, includeFlagged: true });
    expect(StudySpecSchema.safeParse({ ...base, assumptions: { sufficiency: { minHoursPerDay: 25 } } }).success).toBe(
      false,
    );
    // An old specification (none of the new fields) keeps its canonical form: nothing is filled in.
    expect(Object.keys(StudySpecSchema.parse(base))).not.toContain("boundarySignals");
    expect(StudySpecSchema.parse(base).assumptions).not.toHaveProperty("dataQuality");
  });

  it("takes a partial day's degree-days from the hours present", () => {
    const temps = [20, 14, 10];
    const day: Interval = {
      startMs: T0,
      energyKwh: 1,
      itKwh: 1,
      facilityKwh: 1,
      hourlyTempsC: temps,
      pricePerKwh: null,
      carbonGPerKwh: null,
      hoursPresent: 3,
    };
    expect(coolingDegrees(day, 12, "daily")).toBeCloseTo((8 + 2 + 0) / 3, 12);
  });
});

describe("study form", () => {
  const form = (entries: [string, string][]) => {
    const f = new FormData();
    const defaults: [string, string][] = [
      ["boundary", "cooling"],
      ["baseline_from", "2026-03-01"],
      ["baseline_to", "2026-04-30"],
      ["reporting_from", "2026-04-30"],
      ["reporting_to", "2026-05-30"],
      ["granularity", "daily"],
      ["model", "mean"],
      ["mass_until", "2030-01-01T00:00"],
      ["boundary_signals_shown", "1"],
    ];
    for (const [k, v] of [...defaults.filter(([k]) => !entries.some(([e]) => e === k)), ...entries]) f.append(k, v);
    return StudySpecSchema.parse(studySpecFromForm(f));
  };

  it("reads the sub-meters ticked, the hours a day needs and the flagged-data switch; the default pair stays unset", () => {
    const chillerOnly = form([
      ["boundary_signals", "chiller_kw"],
      ["min_hours_per_day", "20"],
      ["include_flagged", "on"],
    ]);
    expect(chillerOnly.boundarySignals).toEqual(["chiller_kw"]);
    expect(chillerOnly.assumptions.sufficiency.minHoursPerDay).toBe(20);
    expect(chillerOnly.assumptions.dataQuality).toEqual({ includeFlagged: true });
    const both = form([
      ["boundary_signals", "chiller_kw"],
      ["boundary_signals", "fan_power_kw"],
    ]);
    expect(both.boundarySignals).toBeUndefined();
    expect(both.assumptions.dataQuality).toBeUndefined();
    expect(inputRules(both)).toMatchObject({ minHoursPerDay: 12, includeFlagged: false });
    expect(
      form([
        ["boundary", "facility"],
        ["boundary_signals", "chiller_kw"],
      ]).boundarySignals,
    ).toBeUndefined();
    expect(() => form([])).toThrow();
  });
});
