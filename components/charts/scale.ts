// The value axis of the interactive charts (time-chart.tsx): a range padded around the data, never
// stretched to zero when the data sits far from it (a 4.7 % saving must not flatten into a line),
// with a minimum span so flat data does not magnify noise, and bounds on round steps. Pure.

/** The smallest step of 1, 2 or 5 × 10^k that is at least `rough` (> 0). */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough * (1 - 1e-12)) return clean(m * power);
  return clean(10 * power);
}

/** The value axis' tick steps: 1, 2 and 5 × 10^k (so a tick never needs more decimals than its step). */
export const TICK_STEPS: number[] = [];
for (let k = -6; k <= 9; k++) for (const m of [1, 2, 5]) TICK_STEPS.push(clean(m * 10 ** k));

/** A tick value with the decimals its step needs (0.05 → 2, 20 → 0), grouped by thousands. */
export function tickText(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
  const shown = Number(value.toFixed(decimals)) === 0 ? 0 : value;
  return shown.toLocaleString("en", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Rounds away binary noise (0.30000000000000004 → 0.3). */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** The fraction of the data's magnitude below which a span counts as flat. */
export const MIN_SPAN_FRACTION = 0.02;
/** Padding above and below the data, as a fraction of its span. */
export const PAD_FRACTION = 0.1;

/**
 * [lo, hi] for data between `min` and `max`: the span widened to at least 2 % of the data's
 * magnitude (centred), padded by 10 % on each side, clamped at zero when the data does not cross
 * it, and rounded outwards to the step of about five ticks.
 */
export function valueRange(min: number, max: number): [number, number] {
  const { lo, hi } = valueScale(min, max);
  return [lo, hi];
}

/** valueRange with the step its bounds are multiples of. */
export function valueScale(min: number, max: number): { lo: number; hi: number; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { lo: 0, hi: 1, step: 0.2 };
  if (min > max) [min, max] = [max, min];
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const minSpan = magnitude > 1e-9 ? magnitude * MIN_SPAN_FRACTION : 1;
  let lo = min;
  let hi = max;
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const pad = (hi - lo) * PAD_FRACTION;
  lo -= pad;
  hi += pad;
  if (min >= 0 && lo < 0) lo = 0;
  else if (max <= 0 && hi > 0) hi = 0;
  const step = niceStep((hi - lo) / 5);
  return { lo: clean(Math.floor(lo / step + 1e-9) * step), hi: clean(Math.ceil(hi / step - 1e-9) * step), step };
}
