// Geometry of the calibration chart (predicted saving on x, verified saving on y with its 90 % error
// bar, the y = x line of a perfectly calibrated engine), shared by the page's SVG and the PDF. Pure.
export type CalibrationPoint = {
  id: string;
  label: string;
  predictedKwh: number;
  verifiedKwh: number;
  u90Kwh: number;
  verdict: string;
};
export type CalibrationLayout = {
  plot: { x: number; y: number; w: number; h: number };
  px: (v: number) => number;
  py: (v: number) => number;
  lo: number;
  hi: number;
  ticks: number[];
  points: (CalibrationPoint & { cx: number; cy: number; yLo: number; yHi: number })[];
};

function niceTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v / step) * step || 0); // || 0: no "-0" label
  return out;
}

/** One scale for both axes (so y = x is the diagonal), always including zero. */
export function calibrationLayout(
  points: CalibrationPoint[],
  width: number,
  height: number,
  margin = { left: 64, right: 12, top: 12, bottom: 36 },
): CalibrationLayout {
  const values = points.flatMap((p) => [p.predictedKwh, p.verifiedKwh - p.u90Kwh, p.verifiedKwh + p.u90Kwh]);
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi - lo < 1e-9) hi = lo + 1;
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const plot = {
    x: margin.left,
    y: margin.top,
    w: width - margin.left - margin.right,
    h: height - margin.top - margin.bottom,
  };
  const px = (v: number) => plot.x + ((v - lo) / (hi - lo)) * plot.w;
  const py = (v: number) => plot.y + (1 - (v - lo) / (hi - lo)) * plot.h;
  return {
    plot,
    px,
    py,
    lo,
    hi,
    ticks: niceTicks(lo, hi),
    points: points.map((p) => ({
      ...p,
      cx: px(p.predictedKwh),
      cy: py(p.verifiedKwh),
      yLo: py(p.verifiedKwh - p.u90Kwh),
      yHi: py(p.verifiedKwh + p.u90Kwh),
    })),
  };
}

export const VERDICT_COLORS: Record<string, string> = {
  confirmed: "#047857",
  not_confirmed: "#b91c1c",
  inconclusive: "#b45309",
};
