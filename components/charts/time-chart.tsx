"use client";
// The interactive chart of the web pages, on uPlot (canvas): the series the server downsampled,
// a legend whose values follow the cursor, a crosshair synced across the charts of a page that
// share `syncKey`, a padded value axis on round steps (scale.ts), an optional band between two
// series (an uncertainty band) or between two constants (a recommended range), vertical markers
// for events, and drag-to-zoom into the URL's custom period. Colours come from the page's CSS
// custom properties (--chart-*), read again when the <html> class changes (dark mode). For screen
// readers: a summary as the image's label, the events as text, and the data as a table on demand.
// The PDFs keep their own vector charts (lib/export).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./time-chart.css";
import { formatAxis, formatUtcMinute } from "@/lib/format";
import { TICK_STEPS, tickText, valueScale } from "./scale";

export type SeriesColor = 1 | 2 | 3 | 4 | 5 | 6;
export type TimeSeries = { name: string; values: (number | null)[]; color?: SeriesColor; dashed?: boolean };
export type AnnotationKind = "setpoint" | "recommendation" | "dataset";
export type ChartAnnotation = { at: string; label: string; kind: AnnotationKind };
export type TimeChartX =
  /** Instants (ISO) of the points; `domain` is the period shown (data may cover only part of it). */
  | { kind: "time"; times: string[]; domain?: { from: string; to: string } }
  /** Hour of day (0–23) or of week (0–167, Monday first), UTC. */
  | { kind: "hour-of-day" | "hour-of-week"; count: number };

export type TimeChartProps = {
  x: TimeChartX;
  series: TimeSeries[];
  unit: string;
  /** What the chart shows, for its accessible name. */
  label: string;
  testId?: string;
  /** A filled area between two series (e.g. a prediction's uncertainty). */
  band?: { lo: (number | null)[]; hi: (number | null)[]; name: string };
  /** A filled area between two constants (e.g. a recommended range). */
  limits?: { from: number; to: number; label: string };
  annotations?: ChartAnnotation[];
  /** Charts with the same key share the crosshair. */
  syncKey?: string;
  /** Dragging across the chart sets the URL's custom period (time charts). */
  zoom?: boolean;
  height?: number;
};

const DEFAULT_COLORS: Record<string, string> = {
  "--chart-grid": "#e2e8f0",
  "--chart-axis": "#94a3b8",
  "--chart-text": "#475569",
  "--chart-band": "rgba(37, 99, 235, 0.16)",
  "--chart-series-1": "#0f766e",
  "--chart-series-2": "#2563eb",
  "--chart-series-3": "#7c3aed",
  "--chart-series-4": "#d97706",
  "--chart-series-5": "#dc2626",
  "--chart-series-6": "#4b5563",
};

const ANNOTATION_COLOR: Record<AnnotationKind, SeriesColor> = { setpoint: 5, recommendation: 3, dataset: 6 };
const ANNOTATION_NAME: Record<AnnotationKind, string> = {
  setpoint: "Setpoint change",
  recommendation: "Implemented recommendation",
  dataset: "Dataset load",
};
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const FONT = "12px ui-sans-serif, system-ui, sans-serif";

function readColors(): Record<string, string> {
  const style = getComputedStyle(document.documentElement);
  const out: Record<string, string> = {};
  for (const [name, fallback] of Object.entries(DEFAULT_COLORS))
    out[name] = style.getPropertyValue(name).trim() || fallback;
  return out;
}

const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** Time-axis ticks in UTC: days as 06-01 (the first with its year), hours as 14:00 (midnight with its day). */
function timeTicks(splits: number[], step: number): string[] {
  return splits.map((v, i) => {
    const iso = new Date(v * 1000).toISOString();
    const day = i === 0 ? iso.slice(0, 10) : iso.slice(5, 10);
    if (step >= 86_400) return day;
    const hm = iso.slice(11, 16);
    return i === 0 || hm === "00:00" ? `${hm}\n${day}` : hm;
  });
}

/** The x position's text: a UTC minute, or an hour of day or week. */
function xText(x: TimeChartX, v: number): string {
  if (x.kind === "time") return `${formatUtcMinute(v * 1000)} UTC`;
  if (x.kind === "hour-of-day") return `${hour(v)} UTC`;
  return `${DAYS[Math.floor(v / 24)] ?? ""} ${hour(v % 24)} UTC`;
}

const valueText = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : `${formatAxis(v)}${unit ? ` ${unit}` : ""}`;

type Marker = { left: number; row: number; flip: boolean; annotation: ChartAnnotation };

export function TimeChart(props: TimeChartProps) {
  const { x, series, unit, label, testId, band, limits, annotations = [], syncKey, zoom, height = 240 } = props;
  const box = useRef<HTMLDivElement>(null);
  const [markers, setMarkers] = useState<Marker[]>([]);
  const [theme, setTheme] = useState(0);
  const [tableOpen, setTableOpen] = useState(false);
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // Read in uPlot's hooks, which are bound once per chart.
  const navigate = useRef({ router, pathname, params });
  useEffect(() => {
    navigate.current = { router, pathname, params };
  }, [router, pathname, params]);

  const xs = useMemo(
    () =>
      x.kind === "time"
        ? // A bucket may start before the period (buckets are UTC-aligned): drawn at the period's start.
          x.times.map((t) => Math.max(Date.parse(t), x.domain ? Date.parse(x.domain.from) : -Infinity) / 1000)
        : Array.from({ length: x.count }, (_, i) => i),
    [x],
  );
  const values = useMemo(
    () => [...series.flatMap((s) => s.values), ...(band ? [...band.lo, ...band.hi] : [])],
    [series, band],
  );
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const hasData = finite.length > 0 && xs.length > 0;

  // Redraw with the new colours when the page's theme changes: a class on <html>, or, with the
  // "system" theme (no class), the operating system's colour scheme.
  useEffect(() => {
    const redraw = () => setTheme((n) => n + 1);
    const observer = new MutationObserver(redraw);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", redraw);
    return () => {
      observer.disconnect();
      scheme.removeEventListener("change", redraw);
    };
  }, []);

  useEffect(() => {
    const root = box.current;
    if (!root || !hasData) return;
    const colors = readColors();
    // The text colour drawn, on the figure: what a test (or a curious operator) can read back.
    root.dataset.textColor = colors["--chart-text"];
    const color = (c: SeriesColor | undefined, i: number) => colors[`--chart-series-${c ?? (i % 6) + 1}`]!;
    let min = Math.min(...finite);
    let max = Math.max(...finite);
    if (limits) {
      min = Math.min(min, limits.from);
      max = Math.max(max, limits.to);
    }
    const scale = valueScale(min, max);
    const times = annotations.map((a) => Date.parse(a.at) / 1000);
    const domain =
      x.kind === "time" && x.domain
        ? ([Date.parse(x.domain.from) / 1000, Date.parse(x.domain.to) / 1000] as const)
        : null;
    const axis = {
      stroke: colors["--chart-text"],
      font: FONT,
      labelFont: FONT,
      grid: { stroke: colors["--chart-grid"], width: 1 },
      ticks: { stroke: colors["--chart-axis"], width: 1, size: 4 },
    };
    const uSeries: uPlot.Series[] = [
      { label: x.kind === "time" ? "Time (UTC)" : "UTC", value: (_u, v) => (v === null ? "—" : xText(x, v)) },
      ...series.map((s, i) => ({
        label: s.name,
        stroke: color(s.color, i),
        width: 1.6,
        dash: s.dashed ? [5, 4] : undefined,
        spanGaps: false,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => valueText(v, unit),
      })),
      ...(band
        ? [`${band.name} (low)`, `${band.name} (high)`].map((name) => ({
            label: name,
            stroke: colors["--chart-band"],
            width: 1,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => valueText(v, unit),
          }))
        : []),
    ];
    const data = [
      xs,
      ...series.map((s) => s.values),
      ...(band ? [band.lo, band.hi] : []),
    ] as unknown as uPlot.AlignedData;
    const hi = series.length + 2;
    const opts: uPlot.Options = {
      width: Math.max(200, root.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      // Room on the right for the last time tick, centred on the plot's edge.
      padding: [annotations.length ? 22 : 10, x.kind === "time" ? 28 : 16, 0, 0],
      series: uSeries,
      bands: band ? [{ series: [hi, hi - 1], fill: colors["--chart-band"] }] : [],
      scales: {
        x: domain
          ? { time: true, range: () => [domain[0], domain[1]] }
          : x.kind === "time"
            ? { time: true }
            : { time: false, range: () => [0, Math.max(1, x.count - 1)] },
        y: { range: () => [scale.lo, scale.hi] },
      },
      axes: [
        x.kind === "time"
          ? { ...axis, space: 80, values: (_u, splits, _axis, _space, step) => timeTicks(splits, step) }
          : {
              ...axis,
              space: 36,
              incrs: x.kind === "hour-of-day" ? [1, 2, 3, 6, 12] : [6, 12, 24, 48],
              values: (_u, splits) =>
                splits.map((v) => (x.kind === "hour-of-day" || v % 24 !== 0 ? hour(v % 24) : DAYS[v / 24]!)),
            },
        {
          ...axis,
          size: 60,
          // The unit's room kept on every chart, so that charts of one column share their plot's left edge.
          label: unit || " ",
          labelSize: 18,
          incrs: TICK_STEPS,
          values: (_u, splits, _axis, _space, step) => splits.map((v) => tickText(v, step)),
        },
      ],
      legend: { show: true, live: true },
      cursor: {
        sync: syncKey ? { key: syncKey } : undefined,
        drag: { x: Boolean(zoom && x.kind === "time"), y: false, setScale: false },
        points: { size: 6 },
      },
      hooks: {
        drawClear: [
          (u) => {
            if (!limits) return;
            const ctx = u.ctx;
            const top = u.valToPos(limits.to, "y", true);
            const bottom = u.valToPos(limits.from, "y", true);
            ctx.save();
            ctx.fillStyle = colors["--chart-band"]!;
            ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
            ctx.fillStyle = colors["--chart-text"]!;
            ctx.font = `${12 * devicePixelRatio}px ui-sans-serif, system-ui, sans-serif`;
            ctx.textAlign = "right";
            ctx.textBaseline = "bottom";
            ctx.fillText(
              limits.label,
              u.bbox.left + u.bbox.width - 4 * devicePixelRatio,
              bottom - 3 * devicePixelRatio,
            );
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            // Vertical markers on the canvas; their labels as text elements placed over them.
            const ctx = u.ctx;
            const placed: Marker[] = [];
            const rowsEnd: number[] = [];
            const rowsStart: number[] = [];
            ctx.save();
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            annotations.forEach((a, i) => {
              const t = times[i]!;
              const [x0, x1] = [u.scales.x?.min ?? 0, u.scales.x?.max ?? 0];
              if (t < x0 || t > x1) return;
              const px = u.valToPos(t, "x", true);
              ctx.strokeStyle = color(ANNOTATION_COLOR[a.kind], 0);
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
              // The label right of its line, or left of it where it would leave the plot.
              const at = u.valToPos(t, "x") + u.over.offsetLeft;
              const width = a.label.length * 6.6 + 12;
              const flip = at + width > u.over.offsetLeft + u.over.clientWidth + 8;
              const [start, end] = flip ? [at - width, at] : [at, at + width];
              const row = rowsEnd.findIndex((e, r) => e < start && (rowsStart[r] ?? Infinity) > end);
              const r = row === -1 ? rowsEnd.length : row;
              rowsEnd[r] = Math.max(rowsEnd[r] ?? -Infinity, end);
              rowsStart[r] = Math.min(rowsStart[r] ?? Infinity, start);
              placed.push({ left: at, row: r, flip, annotation: a });
            });
            ctx.restore();
            setMarkers(placed);
          },
        ],
        setSelect: [
          (u) => {
            if (!zoom || x.kind !== "time" || u.select.width < 4) return;
            const from = u.posToVal(u.select.left, "x") * 1000;
            const to = u.posToVal(u.select.left + u.select.width, "x") * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            const { router: r, pathname: path, params: p } = navigate.current;
            const next = new URLSearchParams(p.toString());
            next.set("period", "custom");
            next.set("from", new Date(from).toISOString().slice(0, 16));
            next.set("to", new Date(to).toISOString().slice(0, 16));
            r.push(`${path}?${next.toString()}`);
          },
        ],
      },
    };
    const plot = new uPlot(opts, data, root.querySelector<HTMLElement>("[data-plot]")!);
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, root.clientWidth);
      if (Math.abs(width - plot.width) >= 1) plot.setSize({ width, height });
    });
    resize.observe(root);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // Props from a server component are fresh objects on every render; their content decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(props), theme, hasData]);

  if (!hasData)
    return (
      <p className="py-8 text-center text-sm text-slate-500" data-testid={testId}>
        No data for this chart in the period.
      </p>
    );

  const summary = `${label}. ${series
    .map((s) => {
      const v = s.values.filter((n): n is number => n !== null);
      return v.length ? `${s.name}: ${valueText(Math.min(...v), unit)} to ${valueText(Math.max(...v), unit)}` : "";
    })
    .filter(Boolean)
    .join("; ")}; ${xs.length} points from ${xText(x, xs[0]!)} to ${xText(x, xs[xs.length - 1]!)}.${
    annotations.length ? ` ${annotations.length} marked event${annotations.length === 1 ? "" : "s"}.` : ""
  }`;

  return (
    <figure className="time-chart" data-testid={testId}>
      <div ref={box} className="relative">
        <div role="img" aria-label={summary} data-plot="" />
        {markers.map((m, i) => (
          <div
            key={i}
            className={m.flip ? "time-chart-marker time-chart-marker-flip" : "time-chart-marker"}
            data-testid="chart-annotation"
            data-kind={m.annotation.kind}
            style={{ left: `${m.left}px`, top: `${m.row * 18}px` }}
            title={`${ANNOTATION_NAME[m.annotation.kind]} · ${formatUtcMinute(Date.parse(m.annotation.at))} UTC`}
          >
            {m.annotation.label}
          </div>
        ))}
      </div>
      {annotations.length ? (
        <ul className="sr-only">
          {annotations.map((a, i) => (
            <li key={i}>
              {ANNOTATION_NAME[a.kind]} at {formatUtcMinute(Date.parse(a.at))} UTC: {a.label}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="mt-1 text-xs text-slate-600" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer">Data table</summary>
        {tableOpen ? (
          <div className="max-h-64 overflow-auto">
            <table className="mt-1 w-full text-left tabular-nums">
              <caption className="sr-only">{label}</caption>
              <thead>
                <tr>
                  <th scope="col">{x.kind === "time" ? "Time (UTC)" : "UTC"}</th>
                  {series.map((s) => (
                    <th key={s.name} scope="col">
                      {s.name}
                      {unit ? ` (${unit})` : ""}
                    </th>
                  ))}
                  {band ? (
                    <>
                      <th scope="col">{band.name} low</th>
                      <th scope="col">{band.name} high</th>
                    </>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {xs.map((v, i) => (
                  <tr key={v}>
                    <td>{xText(x, v).replace(/ UTC$/, "")}</td>
                    {series.map((s) => (
                      <td key={s.name}>{valueText(s.values[i], "")}</td>
                    ))}
                    {band ? (
                      <>
                        <td>{valueText(band.lo[i], "")}</td>
                        <td>{valueText(band.hi[i], "")}</td>
                      </>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </details>
    </figure>
  );
}
