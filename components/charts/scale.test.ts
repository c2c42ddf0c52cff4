import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { niceStep, tickText, valueRange, valueScale } from "./scale";

describe("chart value range", () => {
  it("picks 1, 2 or 5 × 10^k steps", () => {
    expect(niceStep(0.13)).toBe(0.2);
    expect(niceStep(1.128)).toBe(2);
    expect(niceStep(2.2)).toBe(5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(100)).toBe(100);
  });

  it("writes ticks with the decimals of their step: 1.275 never reads 1.28", () => {
    expect([1.24, 1.26, 1.28, 1.3].map((v) => tickText(v, 0.02))).toEqual(["1.24", "1.26", "1.28", "1.30"]);
    expect(tickText(1500, 500)).toBe("1,500");
    expect(tickText(0.30000000000000004, 0.1)).toBe("0.3");
    expect(tickText(-0.0001, 0.5)).toBe("0.0");
  });

  it("keeps a 4.7 % saving visible: 100 → 95.3 kW fills more than half the height", () => {
    const [lo, hi] = valueRange(95.3, 100);
    expect([lo, hi]).toEqual([94, 102]);
    expect((100 - 95.3) / (hi - lo)).toBeGreaterThan(0.5);
  });

  it("does not start at zero for data far from it, but clamps at zero for data near it", () => {
    expect(valueRange(1250, 1400)).toEqual([1200, 1450]);
    expect(valueRange(0.5, 40)[0]).toBe(0);
    expect(valueRange(-40, -0.5)[1]).toBe(0);
  });

  it("gives flat data a minimum span of 2 % around it", () => {
    expect(valueRange(1.42, 1.42)).toEqual([1.4, 1.44]);
    expect(valueRange(0, 0)).toEqual([0, 0.6]);
  });

  it("holds the data, on round bounds, without wasting most of the height", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        async (a, width) => {
          const b = a + width;
          const [lo, hi] = valueRange(a, b);
          expect(lo).toBeLessThanOrEqual(a);
          expect(hi).toBeGreaterThanOrEqual(b);
          if (a >= 0) expect(lo).toBeGreaterThanOrEqual(0);
          const magnitude = Math.max(Math.abs(a), Math.abs(b));
          const span = Math.max(width, magnitude * 0.02);
          // Padding, rounding and the zero clamp cost at most a factor of 3 on a non-trivial span.
          if (magnitude > 1e-3 && (a > 0 ? a > span : true)) expect(hi - lo).toBeLessThanOrEqual(span * 3 + 1e-9);
          const { step } = valueScale(a, b);
          expect(step).toBe(niceStep(step));
          expect(Math.abs(lo / step - Math.round(lo / step))).toBeLessThan(1e-6);
          expect(Math.abs(hi / step - Math.round(hi / step))).toBeLessThan(1e-6);
        },
      ),
    );
  });
});
