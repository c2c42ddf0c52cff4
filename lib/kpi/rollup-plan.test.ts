import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, planRollups, type RollupPlan, type TimeRange, type TrendBuckets } from "./rollup-plan";

const at = (iso: string) => new Date(iso);
const iso = (ranges: TimeRange[]) => ranges.map((r) => [r.from.toISOString(), r.to.toISOString()]);

/** Every range of the plan, tagged, in time order. */
function pieces(plan: RollupPlan): { kind: keyof RollupPlan; from: number; to: number }[] {
  return (["day", "hour", "raw"] as const)
    .flatMap((kind) => plan[kind].map((r) => ({ kind, from: r.from.getTime(), to: r.to.getTime() })))
    .sort((a, b) => a.from - b.from);
}

describe("planRollups", () => {
  it("reads whole days and hours from the rollups and only the partial hours raw", () => {
    const plan = planRollups({ from: at("2026-03-30T22:10:00Z"), to: at("2026-04-02T05:30:00Z") });
    expect(iso(plan.day)).toEqual([["2026-03-31T00:00:00.000Z", "2026-04-02T00:00:00.000Z"]]);
    expect(iso(plan.hour)).toEqual([
      ["2026-03-30T23:00:00.000Z", "2026-03-31T00:00:00.000Z"],
      ["2026-04-02T00:00:00.000Z", "2026-04-02T05:00:00.000Z"],
    ]);
    expect(iso(plan.raw)).toEqual([
      ["2026-03-30T22:10:00.000Z", "2026-03-30T23:00:00.000Z"],
      ["2026-04-02T05:00:00.000Z", "2026-04-02T05:30:00.000Z"],
    ]);
  });

  it("reads a short period inside one hour raw, and an aligned one without any raw part", () => {
    expect(planRollups({ from: at("2026-04-01T10:05:00Z"), to: at("2026-04-01T10:50:00Z") })).toEqual({
      day: [],
      hour: [],
      raw: [{ from: at("2026-04-01T10:05:00Z"), to: at("2026-04-01T10:50:00Z") }],
    });
    const aligned = planRollups({ from: at("2026-04-01T00:00:00Z"), to: at("2026-04-01T03:00:00Z") });
    expect(aligned).toEqual({
      day: [],
      hour: [{ from: at("2026-04-01T00:00:00Z"), to: at("2026-04-01T03:00:00Z") }],
      raw: [],
    });
  });

  it("keeps a rollup hour inside one chart bucket when the buckets start off the hour", () => {
    const period = { from: at("2026-04-01T00:30:00Z"), to: at("2026-04-01T06:30:00Z") };
    const plan = planRollups(period, { stepMs: 2 * HOUR_MS, originMs: period.from.getTime() });
    // Buckets 00:30–02:30, 02:30–04:30, 04:30–06:30: the hours 01–02, 03–04 and 05–06 lie inside one.
    expect(iso(plan.hour)).toEqual([
      ["2026-04-01T01:00:00.000Z", "2026-04-01T02:00:00.000Z"],
      ["2026-04-01T03:00:00.000Z", "2026-04-01T04:00:00.000Z"],
      ["2026-04-01T05:00:00.000Z", "2026-04-01T06:00:00.000Z"],
    ]);
    expect(plan.raw).toHaveLength(4);
  });

  it("plans nothing for an empty period", () => {
    expect(planRollups({ from: at("2026-04-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") })).toEqual({
      day: [],
      hour: [],
      raw: [],
    });
  });

  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  const periods = fc
    .tuple(instant, fc.integer({ min: 1, max: 40 * DAY_MS }))
    .map(([from, length]) => ({ from: new Date(from), to: new Date(from + length) }));
  const steps = fc.constantFrom(
    HOUR_MS,
    2 * HOUR_MS,
    3 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    DAY_MS,
    2 * DAY_MS,
    7 * DAY_MS,
  );

  it("covers the period exactly once with aligned days and hours, each inside one bucket, and leaves no whole usable hour raw", () => {
    fc.assert(
      fc.property(periods, fc.option(steps, { nil: undefined }), (period, step) => {
        const buckets: TrendBuckets | undefined =
          step === undefined ? undefined : { stepMs: step, originMs: period.from.getTime() };
        const bucket = (x: number) => (buckets ? Math.floor((x - buckets.originMs) / buckets.stepMs) : 0);
        const list = pieces(planRollups(period, buckets));
        let cursor = period.from.getTime();
        for (const p of list) {
          expect(p.from).toBe(cursor);
          expect(p.to).toBeGreaterThan(p.from);
          cursor = p.to;
          const size = p.kind === "day" ? DAY_MS : p.kind === "hour" ? HOUR_MS : null;
          if (size !== null) {
            expect(p.from % size).toBe(0);
            expect(p.to % size).toBe(0);
            for (let t = p.from; t < p.to; t += size) expect(bucket(t)).toBe(bucket(t + size - 1));
          } else {
            // A raw range never holds a whole hour that a rollup could have served.
            for (let t = Math.ceil(p.from / HOUR_MS) * HOUR_MS; t + HOUR_MS <= p.to; t += HOUR_MS)
              expect(bucket(t)).not.toBe(bucket(t + HOUR_MS - 1));
          }
        }
        expect(cursor).toBe(period.to.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
