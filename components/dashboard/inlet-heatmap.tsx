"use client";
// Per-zone rack-inlet heatmap: a row per zone, a column per time bucket, the colour the mean p95
// rack-inlet temperature (lib/kpi/heatmap.ts). Hovering a cell shows zone, time and value at once;
// the same numbers are a table for screen readers (on demand). The colour scale runs blue → pale yellow
// → red with no stop near white or black, so cells read on a light and a dark page alike; empty cells stay blank.
import { useState, type PointerEvent } from "react";
import { formatAxis, formatUtcMinute } from "@/lib/format";

export type HeatmapCell = { mean: number; max: number; readings: number } | null;
export type HeatmapData = {
  stepSeconds: number;
  buckets: string[];
  zones: { tenant: string; zone: string; label: string; cells: HeatmapCell[] }[];
  zoneCount: number;
  min: number | null;
  max: number | null;
};

// A diverging cool → warm scale (ColorBrewer RdYlBu, reversed): no stop near white or black.
const STOPS: [number, [number, number, number]][] = [
  [0, [69, 117, 180]],
  [0.25, [145, 191, 219]],
  [0.5, [254, 224, 144]],
  [0.75, [252, 141, 89]],
  [1, [215, 48, 39]],
];

/** The colour of `f` ∈ [0, 1] on the scale. */
export function heatColor(f: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
  const i = Math.min(STOPS.length - 2, Math.floor(x * (STOPS.length - 1)));
  const [a, ca] = STOPS[i]!;
  const [b, cb] = STOPS[i + 1]!;
  const t = (x - a) / (b - a);
  const c = ca.map((v, k) => Math.round(v + (cb[k]! - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The scale's bounds: whole degrees around the data, at least 2 K wide. */
export function heatDomain(min: number, max: number): [number, number] {
  let lo = Math.floor(min);
  let hi = Math.ceil(max);
  if (hi - lo < 2) {
    const mid = (lo + hi) / 2;
    lo = Math.floor(mid - 1);
    hi = lo + 2;
  }
  return [lo, hi];
}

const stepText = (s: number) => (s >= 86_400 ? `${s / 86_400} d` : `${s / 3600} h`);
const timeText = (iso: string, step: number) =>
  step >= 86_400 ? iso.slice(0, 10) : formatUtcMinute(Date.parse(iso)).replace(/^\d{4}-/, "");

export function InletHeatmap({ data, testId = "inlet-heatmap" }: { data: HeatmapData; testId?: string }) {
  const [hover, setHover] = useState<{ zone: number; bucket: number; x: number; y: number } | null>(null);
  const [tableOpen, setTableOpen] = useState(false);
  if (data.zones.length === 0 || data.min === null || data.max === null)
    return (
      <p className="py-8 text-center text-sm text-slate-500" data-testid={testId}>
        No rack-inlet readings in the period.
      </p>
    );
  const [lo, hi] = heatDomain(data.min, data.max);
  const fill = (v: number) => heatColor((v - lo) / (hi - lo));
  const n = data.buckets.length;
  const move = (zone: number) => (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const bucket = Math.min(n - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * n)));
    const host = e.currentTarget.closest("[data-heatmap]")!.getBoundingClientRect();
    setHover({ zone, bucket, x: e.clientX - host.left, y: rect.bottom - host.top });
  };
  const ticks = [0, Math.floor(n / 2), n - 1].filter((v, i, a) => a.indexOf(v) === i);
  const hovered = hover ? data.zones[hover.zone]!.cells[hover.bucket] : null;
  const summary = `Rack inlet p95 by zone and ${stepText(data.stepSeconds)}: ${data.zones.length} zone${
    data.zones.length === 1 ? "" : "s"
  }, ${formatAxis(data.min)} to ${formatAxis(data.max)} °C.`;
  return (
    <figure data-testid={testId}>
      <div className="relative" data-heatmap="" role="img" aria-label={summary} onPointerLeave={() => setHover(null)}>
        {data.zones.map((z, zi) => (
          <div key={`${z.tenant}:${z.zone}`} className="flex items-center gap-2" data-testid="heatmap-row">
            <span className="w-36 shrink-0 truncate text-right text-xs text-slate-600" title={z.label}>
              {z.label}
            </span>
            <svg
              className="h-5 min-w-0 flex-1"
              viewBox={`0 0 ${n} 1`}
              preserveAspectRatio="none"
              onPointerMove={move(zi)}
              aria-hidden
            >
              {z.cells.map((c, i) =>
                c ? <rect key={i} x={i} y={0.06} width={0.94} height={0.88} fill={fill(c.mean)} /> : null,
              )}
            </svg>
          </div>
        ))}
        <div className="flex gap-2 text-xs text-slate-600">
          <span className="w-36 shrink-0" />
          <div className="relative h-4 flex-1">
            {ticks.map((i) => (
              <span
                key={i}
                className="absolute top-0 whitespace-nowrap"
                style={{
                  left: `${((i + 0.5) / n) * 100}%`,
                  transform: `translateX(${i === 0 ? "0" : i === n - 1 ? "-100%" : "-50%"})`,
                }}
              >
                {timeText(data.buckets[i]!, data.stepSeconds)}
              </span>
            ))}
          </div>
        </div>
        {hover ? (
          <div
            className="pointer-events-none absolute z-10 rounded bg-slate-900 px-2 py-1 text-xs whitespace-nowrap text-white shadow"
            style={{ left: hover.x + 8, top: hover.y + 2 }}
            data-testid="heatmap-tooltip"
          >
            {data.zones[hover.zone]!.label} · {formatUtcMinute(Date.parse(data.buckets[hover.bucket]!))} UTC +
            {stepText(data.stepSeconds)}:{" "}
            {hovered ? `${formatAxis(hovered.mean)} °C (max ${formatAxis(hovered.max)} °C)` : "no readings"}
          </div>
        ) : null}
      </div>
      <figcaption className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span>{lo} °C</span>
        <svg width={160} height={10} aria-hidden>
          <defs>
            <linearGradient id="inlet-heat-scale">
              {STOPS.map(([at]) => (
                <stop key={at} offset={at} stopColor={heatColor(at)} />
              ))}
            </linearGradient>
          </defs>
          <rect width={160} height={10} fill="url(#inlet-heat-scale)" />
        </svg>
        <span>{hi} °C</span>
        <span>
          · mean p95 rack inlet per zone and {stepText(data.stepSeconds)} (UTC); blank: no readings
          {data.zoneCount > data.zones.length ? ` · the ${data.zones.length} hottest of ${data.zoneCount} zones` : ""}
        </span>
      </figcaption>
      <details className="mt-1 text-xs text-slate-600" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer">Data table</summary>
        {tableOpen ? (
          <div className="max-h-64 overflow-auto">
            <table className="mt-1 text-left tabular-nums">
              <caption className="sr-only">Mean p95 rack inlet (°C) per zone and time bucket</caption>
              <thead>
                <tr>
                  <th scope="col">Start (UTC)</th>
                  {data.zones.map((z) => (
                    <th key={`${z.tenant}:${z.zone}`} scope="col" className="px-1">
                      {z.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.buckets.map((b, i) => (
                  <tr key={b}>
                    <th scope="row" className="pr-2 font-normal">
                      {formatUtcMinute(Date.parse(b))}
                    </th>
                    {data.zones.map((z) => (
                      <td key={`${z.tenant}:${z.zone}`} className="px-1">
                        {z.cells[i] ? formatAxis(z.cells[i]!.mean) : "—"}
                      </td>
                    ))}
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
