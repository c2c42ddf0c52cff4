// The frame of a line chart in a PDF report, laid out so nothing is written over anything else:
// the title on its own row, then a row with the y-axis unit (right-aligned over the tick labels)
// and the legend (beside the unit, outside the plot, never over a line), then the plot with round
// tick values (1-2-5 steps) and the first and last instant under it. Layout is pure (tested); the
// drawing takes a pdfkit document.

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10ⁿ, about `target` of them. */
export function niceTicks(
  lo: number,
  hi: number,
  target = 4,
): { lo: number; hi: number; step: number; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 1, ticks: [0, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const d = Math.abs(lo) * 0.1 || 1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  // Multiplying the index (not adding steps) keeps 0.1-steps free of drift; the toPrecision drops the rest.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { lo: ticks[0]!, hi: ticks[ticks.length - 1]!, step, ticks };
}

/**
 * The span a value axis must show: the data's, with zero when asked. Otherwise the axis is not
 * stretched to zero (a 4.7 % saving must not flatten into a line), but a nearly flat series is
 * widened to 2 % of its magnitude so noise is not magnified, never across zero when the data
 * does not cross it.
 */
export function valueSpan(values: number[], includeZero: boolean): [number, number] {
  let lo = Math.min(...values, ...(includeZero ? [0] : []));
  let hi = Math.max(...values, ...(includeZero ? [0] : []));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [lo, hi];
  const minSpan = 0.02 * Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    const dataLo = lo;
    const dataHi = hi;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
    if (dataLo >= 0 && lo < 0) [lo, hi] = [0, hi - lo];
    if (dataHi <= 0 && hi > 0) [lo, hi] = [lo - hi, 0];
  }
  return [lo, hi];
}

/** A tick value as its label: no decimals from 100 up, else as many as the step needs (at most 3). */
export function tickLabel(value: number, step: number): string {
  const digits = Math.abs(step) >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(Math.abs(step)) - 1e-9));
  const shown = Number(value.toFixed(digits)) === 0 ? 0 : value;
  return shown.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export type Box = { x: number; y: number; w: number; h: number };

export type ChartLayout = {
  titleY: number;
  /** Where the unit label is written (right-aligned in the box), above the top tick label. */
  unit: Box;
  /** Where the legend starts (same row as the unit, right of the axis labels). */
  legend: { x: number; y: number; w: number };
  plot: Box;
  /** The box of the label of a tick drawn at plot y `y` (vertically centred on the tick). */
  tickLabel: (y: number) => Box;
  /** Where the x labels go and where the next content may start. */
  xLabelY: number;
  bottom: number;
};

/** Font sizes the layout assumes (drawChartFrame writes with them). */
export const CHART_FONT = { title: 9, small: 7 } as const;
const LINE = (size: number) => size * 1.2;

export function chartLayout(o: {
  x: number;
  top: number;
  width: number;
  plotHeight: number;
  axisWidth: number;
}): ChartLayout {
  const titleY = o.top;
  const rowY = titleY + LINE(CHART_FONT.title) + 2;
  const rowH = LINE(CHART_FONT.small);
  const tickH = LINE(CHART_FONT.small);
  // The top tick's label reaches tickH / 2 above the plot: the row ends 3 pt above that.
  const plotY = rowY + rowH + tickH / 2 + 3;
  const plot = { x: o.x + o.axisWidth + 4, y: plotY, w: o.width - o.axisWidth - 4, h: o.plotHeight };
  return {
    titleY,
    unit: { x: o.x, y: rowY, w: o.axisWidth, h: rowH },
    legend: { x: plot.x, y: rowY, w: plot.w },
    plot,
    tickLabel: (y) => ({ x: o.x, y: y - tickH / 2, w: o.axisWidth, h: tickH }),
    xLabelY: plot.y + plot.h + 3,
    bottom: plot.y + plot.h + 3 + LINE(CHART_FONT.small) + 4,
  };
}

type Doc = PDFKit.PDFDocument;

/**
 * Title, unit, legend, frame, y ticks (round values) and x labels of a chart; returns the scale
 * for the caller's lines and areas. `values` are every y the chart will draw (for the range).
 */
export function drawChartFrame(
  doc: Doc,
  o: {
    x: number;
    top: number;
    width: number;
    plotHeight: number;
    title: string;
    unit: string;
    legend: { name: string; color: string }[];
    values: number[];
    includeZero?: boolean;
    xLabels: [string, string];
  },
): { layout: ChartLayout; py: (v: number) => number; lo: number; hi: number } {
  const layout = chartLayout({ x: o.x, top: o.top, width: o.width, plotHeight: o.plotHeight, axisWidth: 40 });
  const { plot } = layout;
  const finite = o.values.filter(Number.isFinite);
  const ticks = niceTicks(...valueSpan(finite, o.includeZero ?? false));
  const py = (v: number) => plot.y + (1 - (v - ticks.lo) / (ticks.hi - ticks.lo)) * plot.h;

  doc
    .font("bold")
    .fontSize(CHART_FONT.title)
    .fillColor("#0f172a")
    .text(o.title, o.x, layout.titleY, { lineBreak: false });
  doc.font("body").fontSize(CHART_FONT.small).fillColor("#64748b");
  if (o.unit)
    doc.text(o.unit, layout.unit.x, layout.unit.y, { width: layout.unit.w, align: "right", lineBreak: false });
  let lx = layout.legend.x;
  for (const s of o.legend) {
    const sw = 10;
    const mid = layout.legend.y + LINE(CHART_FONT.small) / 2 - 1;
    doc
      .moveTo(lx, mid)
      .lineTo(lx + sw, mid)
      .lineWidth(1.5)
      .strokeColor(s.color)
      .stroke();
    doc.fillColor("#334155").text(s.name, lx + sw + 3, layout.legend.y, { lineBreak: false });
    lx += sw + 3 + doc.widthOfString(s.name) + 12;
  }
  doc.lineWidth(0.5).strokeColor("#cbd5e1").rect(plot.x, plot.y, plot.w, plot.h).stroke();
  doc.fillColor("#64748b");
  for (const v of ticks.ticks) {
    const y = py(v);
    if (v !== ticks.lo && v !== ticks.hi)
      doc
        .moveTo(plot.x, y)
        .lineTo(plot.x + plot.w, y)
        .lineWidth(0.3)
        .strokeColor("#e2e8f0")
        .stroke();
    const box = layout.tickLabel(y);
    doc.text(tickLabel(v, ticks.step), box.x, box.y + 1, { width: box.w, align: "right", lineBreak: false });
  }
  doc.text(o.xLabels[0], plot.x, layout.xLabelY, { lineBreak: false });
  doc.text(o.xLabels[1], plot.x + plot.w - 120, layout.xLabelY, { width: 120, align: "right", lineBreak: false });
  return { layout, py, lo: ticks.lo, hi: ticks.hi };
}
