import { describe, expect, it } from "vitest";
import { MvError } from "./errors";
import { designOf, fitOls } from "./ols";

const expectMvError = (fn: () => unknown, code: string, message: RegExp) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MvError);
    expect((error as MvError).code).toBe(code);
    expect((error as MvError).message).toMatch(message);
    return;
  }
  throw new Error("expected an MvError");
};

describe("fitOls", () => {
  it("fits a line exactly and reports the textbook statistics", () => {
    // y = 2 + 3x + e with e = (1, −1, −1, 1): β̂ = (2, 3), SSE = 4, σ̂² = 4 / (4 − 2) = 2.
    const xs = [0, 1, 2, 3];
    const e = [1, -1, -1, 1];
    const y = xs.map((x, i) => 2 + 3 * x + e[i]!);
    const fit = fitOls(
      designOf(
        ["intercept", "x"],
        xs.map((x) => [1, x]),
      ),
      y,
    );
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(2, 12);
    expect(fit.coefficients[1]!.estimate).toBeCloseTo(3, 12);
    expect(fit.sse).toBeCloseTo(4, 12);
    // Var(β̂) = σ̂² (XᵀX)⁻¹, XᵀX = [[4, 6], [6, 14]], det 20 → (XᵀX)⁻¹ = [[0.7, −0.3], [−0.3, 0.2]].
    expect(fit.coefficients[0]!.stdError).toBeCloseTo(Math.sqrt(2 * 0.7), 12);
    expect(fit.coefficients[1]!.stdError).toBeCloseTo(Math.sqrt(2 * 0.2), 12);
    // SST = Σ(y − ȳ)² with y = (3, 4, 7, 12), ȳ = 6.5 → 49.
    expect(fit.r2).toBeCloseTo(1 - 4 / 49, 12);
    expect(fit.adjR2).toBeCloseTo(1 - ((4 / 49) * 3) / 2, 12);
    expect(fit.coefficients[1]!.pValue).toBeGreaterThan(0);
    expect(fit.coefficients[1]!.pValue).toBeLessThan(0.05);
  });

  it("refuses too few points", () => {
    expectMvError(
      () =>
        fitOls(
          designOf(
            ["intercept", "x"],
            [
              [1, 1],
              [1, 2],
            ],
          ),
          [1, 2],
        ),
      "too_few_points",
      /at least 3/,
    );
  });

  it("refuses a constant response", () => {
    expectMvError(
      () =>
        fitOls(
          designOf(
            ["intercept", "x"],
            [
              [1, 1],
              [1, 2],
              [1, 3],
            ],
          ),
          [5, 5, 5],
        ),
      "zero_variance",
      /does not vary/,
    );
  });

  it("refuses an all-zero variable, naming it", () => {
    expectMvError(
      () =>
        fitOls(
          designOf(
            ["intercept", "cdd"],
            [
              [1, 0],
              [1, 0],
              [1, 0],
            ],
          ),
          [1, 2, 4],
        ),
      "zero_variance",
      /"cdd"/,
    );
  });

  it("names the collinear variable", () => {
    const rows = [1, 2, 3, 4, 5].map((x) => [1, x, 2 * x + 1]);
    expectMvError(
      () => fitOls(designOf(["intercept", "it_kwh", "copy"], rows), [1, 3, 2, 5, 4]),
      "collinear",
      /"copy"/,
    );
  });

  it("never returns NaN for a nearly exact fit", () => {
    const rows = [1, 2, 3, 4, 5, 6].map((x) => [1, x]);
    const fit = fitOls(designOf(["intercept", "x"], rows), [2, 4, 6, 8, 10, 12.000001]);
    for (const c of fit.coefficients)
      for (const v of [c.estimate, c.stdError, c.tStat, c.pValue]) expect(Number.isNaN(v)).toBe(false);
  });
});
