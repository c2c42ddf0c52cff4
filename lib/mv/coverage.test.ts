// Coverage of the savings bands on synthetic data-centre sites with a known true saving
// (lib/mv/simulate.ts): the default study's calibrated 90 % band must contain the truth about 90 %
// of the time. The full count (≥ 200 sites per cell) is `npm run bench mv-coverage`, published in
// docs/MV-METHOD.md §5.2; here 40 sites per cell with a fixed seed, and a tolerance of 80–98 % (about
// two binomial standard errors at 40 sites). Guideline 14's band alone covers 42.5–57.5 % on the
// same sites: this test fails on it (checked by pointing the first assertion at g14Coverage).
import { describe, expect, it } from "vitest";
import { computeStudy } from "./compute";
import { coverage } from "./simulate";

const SITES = 40;
const SEED = 1000;

describe("savings band coverage on simulated sites (default model: auto)", () => {
  it.each([
    ["facility", "daily"],
    ["cooling", "daily"],
    ["facility", "hourly"],
    ["cooling", "hourly"],
  ] as const)(
    "%s boundary, %s: the calibrated 90-percent band contains the true saving 80–98 percent of the time",
    (boundary, granularity) => {
      const cell = coverage({ seed: SEED, sites: SITES, boundary, granularity, model: "auto", compute: computeStudy });
      expect(cell.failed).toBe(0);
      expect(cell.calibratedCoverage).toBeGreaterThanOrEqual(0.8);
      expect(cell.calibratedCoverage).toBeLessThanOrEqual(0.98);
      // Guideline 14's band (random error only) misses far more often: kept in the results, not used for verdicts.
      expect(cell.g14Coverage).toBeLessThan(0.8);
    },
    60_000,
  );
});
