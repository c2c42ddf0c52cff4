// Goodness of fit and savings uncertainty per ASHRAE Guideline 14-2014 (§4.3, §5.2 and Annex B).
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/** CV(RMSE) = √(Σ(y − ŷ)² / (n − p)) / ȳ  (G14-2014 eq. 4-4, with p model parameters). */
export function cvRmse(sse: number, n: number, p: number, meanY: number): number {
  return Math.sqrt(sse / (n - p)) / meanY;
}

/** NMBE = Σ(y − ŷ) / ((n − p) · ȳ)  (G14-2014 eq. 4-5). */
export function nmbe(residualSum: number, n: number, p: number, meanY: number): number {
  return residualSum / ((n - p) * meanY);
}

/**
 * Lag-1 autocorrelation of the residuals, ρ = Σ eₜeₜ₋₁ / Σ eₜ² (G14-2014 Annex B, eq. B-15). Without
 * `consecutive`, every pair of adjacent rows counts ("adjacent_rows": a gap is ignored); with it, a
 * pair counts only when interval t starts exactly one step after interval t − 1 ("consecutive": a
 * missing or excluded interval breaks the chain). The denominator is always all n squares.
 */
export function lag1Autocorrelation(
  residuals: ArrayLike<number>,
  consecutive?: { startsMs: ArrayLike<number>; stepMs: number },
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < residuals.length; i++) {
    den += residuals[i]! ** 2;
    if (i > 0 && (!consecutive || consecutive.startsMs[i]! - consecutive.startsMs[i - 1]! === consecutive.stepMs))
      num += residuals[i]! * residuals[i - 1]!;
  }
  return den > 0 ? num / den : 0;
}

/** Effective number of independent points, n′ = n (1 − ρ) / (1 + ρ); n when ρ ≤ 0 (G14-2014 eq. B-15). */
export function effectiveN(n: number, rho: number): number {
  return rho > 0 ? (n * (1 - rho)) / (1 + rho) : n;
}

/** Two-sided Student t quantile for `confidence` (e.g. 0.9) with `df` degrees of freedom. */
export function tValue(confidence: number, df: number): number {
  return tQuantile(1 - (1 - confidence) / 2, df);
}

export type SavingsUncertainty = {
  confidence: number;
  /** Degrees of freedom of the t quantile (absent in reports made before it was recorded). */
  df?: number;
  t: number;
  /** Absolute uncertainty of the total savings, in the energy unit (kWh). */
  absoluteKwh: number;
  /** absoluteKwh / |savings|; null when the savings are zero. */
  fractional: number | null;
};

/**
 * Uncertainty of the savings summed over m reporting intervals (G14-2014 Annex B, eq. B-14, with
 * the autocorrelation correction):
 *   U = t(1 − α/2, n′ − p) · 1.26 · CV · ȳ · √( (n / n′) · (1 + 2/n′) · m )
 * — the fractional form ΔS/S = t · 1.26 · CV · √((n/n′)(1 + 2/n′)(1/m)) / F multiplied by the savings
 * S = F · m · ȳ. CV is the baseline model's CV(RMSE) and ȳ the baseline mean.
 */
export function savingsUncertainty(opts: {
  confidence: number;
  cv: number;
  meanY: number;
  n: number;
  nEffective: number;
  p: number;
  m: number;
  savingsKwh: number;
  /** t at max(1, n′ − p) (default) or max(1, n − p) degrees of freedom. */
  df?: "n_effective_minus_p" | "n_minus_p";
}): SavingsUncertainty {
  const { confidence, cv, meanY, n, nEffective, p, m, savingsKwh } = opts;
  const df = Math.max(1, (opts.df === "n_minus_p" ? n : nEffective) - p);
  const t = tValue(confidence, df);
  const absoluteKwh = t * 1.26 * cv * meanY * Math.sqrt((n / nEffective) * (1 + 2 / nEffective) * m);
  return { confidence, df, t, absoluteKwh, fractional: savingsKwh !== 0 ? absoluteKwh / Math.abs(savingsKwh) : null };
}

/**
 * The same uncertainty without the autocorrelation correction (G14-2014 Annex B with n for n′):
 *   U = t(1 − α/2, n − p) · 1.26 · CV · ȳ · √( (1 + 2/n) · m ).
 * Equal to the corrected figure when ρ ≤ 0 (n′ = n).
 */
export function plainSavingsUncertainty(opts: {
  confidence: number;
  cv: number;
  meanY: number;
  n: number;
  p: number;
  m: number;
  savingsKwh: number;
}): SavingsUncertainty {
  return savingsUncertainty({ ...opts, nEffective: opts.n, df: "n_minus_p" });
}
