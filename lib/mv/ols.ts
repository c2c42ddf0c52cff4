// Ordinary least squares by the normal equations, solved with a Cholesky factorisation of the
// column-scaled XᵀX. Scaling makes the pivots comparable, so a pivot that vanishes names the
// column that is (nearly) a linear combination of the earlier ones. Standard errors, t-statistics
// and p-values as in any regression text (e.g. Montgomery, Peck & Vining, §3.3); R² and adjusted
// R² with the intercept counted among the p parameters.
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { MvError } from "./errors";

export type Coefficient = { name: string; estimate: number; stdError: number; tStat: number; pValue: number };

export type OlsFit = {
  coefficients: Coefficient[];
  fitted: Float64Array;
  residuals: Float64Array;
  /** Observations and parameters (intercept included). */
  n: number;
  p: number;
  sse: number;
  r2: number;
  adjR2: number;
  /** Residual standard error, √(SSE / (n − p)). */
  sigma: number;
};

/** A design matrix stored row-major: `n` rows of `names.length` columns. */
export type Design = { names: string[]; n: number; x: Float64Array };

/** Pivot below this (relative to the scaled diagonal) means the column adds nothing new. */
const COLLINEAR_TOLERANCE = 1e-10;

export function designOf(names: string[], rows: ArrayLike<number>[]): Design {
  const p = names.length;
  const x = new Float64Array(rows.length * p);
  rows.forEach((row, i) => {
    for (let j = 0; j < p; j++) x[i * p + j] = row[j]!;
  });
  return { names, n: rows.length, x };
}

export function fitOls(design: Design, y: ArrayLike<number>): OlsFit {
  const { names, n, x } = design;
  const p = names.length;
  if (n !== y.length) throw new Error("design and response differ in length");
  if (n <= p)
    throw new MvError(
      "too_few_points",
      `${n} data points cannot fit a model of ${p} parameter${p === 1 ? "" : "s"}: at least ${p + 1} are needed.`,
    );
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (y[i]! - mean) ** 2;
  if (!(sst > 0))
    throw new MvError(
      "zero_variance",
      "The energy use does not vary over the baseline: there is nothing for a model to explain.",
    );

  // XᵀX and Xᵀy, skipping zeros (time-of-week indicators make most of a row zero).
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const nz = new Int32Array(p);
  for (let i = 0; i < n; i++) {
    const base = i * p;
    let k = 0;
    for (let j = 0; j < p; j++) if (x[base + j] !== 0) nz[k++] = j;
    const yi = y[i]!;
    for (let a = 0; a < k; a++) {
      const ja = nz[a]!;
      const va = x[base + ja]!;
      xty[ja] = xty[ja]! + va * yi;
      for (let b = a; b < k; b++) {
        const jb = nz[b]!;
        xtx[ja * p + jb] = xtx[ja * p + jb]! + va * x[base + jb]!;
      }
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a * p + b] = xtx[b * p + a]!;

  for (let j = 0; j < p; j++) {
    if (!(xtx[j * p + j]! > 0))
      throw new MvError("zero_variance", `The variable "${names[j]}" is zero over the whole baseline.`);
  }
  // Scale to unit diagonal: A = D⁻¹ XᵀX D⁻¹ with D = √diag(XᵀX).
  const d = new Float64Array(p);
  for (let j = 0; j < p; j++) d[j] = Math.sqrt(xtx[j * p + j]!);
  const a = new Float64Array(p * p);
  for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) a[r * p + c] = xtx[r * p + c]! / (d[r]! * d[c]!);
  const l = cholesky(a, p, names);

  // β = D⁻¹ A⁻¹ D⁻¹ Xᵀy; (XᵀX)⁻¹ = D⁻¹ A⁻¹ D⁻¹.
  const aInv = inverseFromCholesky(l, p);
  const beta = new Float64Array(p);
  for (let r = 0; r < p; r++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += aInv[r * p + c]! * (xty[c]! / d[c]!);
    beta[r] = s / d[r]!;
  }

  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    const base = i * p;
    for (let j = 0; j < p; j++) f += x[base + j]! * beta[j]!;
    fitted[i] = f;
    const e = y[i]! - f;
    residuals[i] = e;
    sse += e * e;
  }
  const df = n - p;
  const sigma2 = sse / df;
  const coefficients = names.map((name, j) => {
    const stdError = Math.sqrt((sigma2 * aInv[j * p + j]!) / (d[j]! * d[j]!));
    const tStat = beta[j]! / stdError;
    const pValue = Number.isFinite(tStat) ? 2 * tCdf(-Math.abs(tStat), df) : 0;
    return { name, estimate: beta[j]!, stdError, tStat, pValue };
  });
  const hasIntercept = names.includes("intercept");
  // Without an intercept R² is measured against zero, as statsmodels and R do.
  const tss = hasIntercept ? sst : Array.from(y).reduce((s, v) => s + v * v, 0);
  const r2 = 1 - sse / tss;
  const adjR2 = 1 - ((1 - r2) * (hasIntercept ? n - 1 : n)) / df;
  return { coefficients, fitted, residuals, n, p, sse, r2, adjR2, sigma: Math.sqrt(sigma2) };
}

/** Lower-triangular L with A = L Lᵀ; a vanishing pivot names the collinear column. */
function cholesky(a: Float64Array, p: number, names: string[]): Float64Array {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let s = a[j * p + j]!;
    for (let k = 0; k < j; k++) s -= l[j * p + k]! ** 2;
    if (!(s > COLLINEAR_TOLERANCE)) {
      throw new MvError(
        "collinear",
        `The variable "${names[j]}" is a linear combination of the others over the baseline (collinear): remove it or widen the baseline.`,
      );
    }
    const ljj = Math.sqrt(s);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = a[i * p + j]!;
      for (let k = 0; k < j; k++) t -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = t / ljj;
    }
  }
  return l;
}

/** A⁻¹ = L⁻ᵀ L⁻¹. */
function inverseFromCholesky(l: Float64Array, p: number): Float64Array {
  const li = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    li[j * p + j] = 1 / l[j * p + j]!;
    for (let i = j + 1; i < p; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * p + k]! * li[k * p + j]!;
      li[i * p + j] = s / l[i * p + i]!;
    }
  }
  const inv = new Float64Array(p * p);
  for (let r = 0; r < p; r++) {
    for (let c = r; c < p; c++) {
      let s = 0;
      for (let k = c; k < p; k++) s += li[k * p + r]! * li[k * p + c]!;
      inv[r * p + c] = s;
      inv[c * p + r] = s;
    }
  }
  return inv;
}

/** ŷ for new rows with the fitted coefficients. */
export function predict(fit: OlsFit, design: Design): Float64Array {
  const p = design.names.length;
  const out = new Float64Array(design.n);
  for (let i = 0; i < design.n; i++) {
    let f = 0;
    for (let j = 0; j < p; j++) f += design.x[i * p + j]! * fit.coefficients[j]!.estimate;
    out[i] = f;
  }
  return out;
}
