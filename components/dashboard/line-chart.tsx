// A server-rendered SVG line chart: shared x axis (time), one y axis, optional limit band, and a
// hover title per point. Wrapped by <ZoomArea> for range selection.
import type { ReactNode } from "react";
import { formatAxis, formatUtc, formatUtcMinute } from "@/lib/format";

export type ChartSeries = { name: string; color: string; values: (number | null)[]; dashed?: boolean };

export const CHART = { width: 720, height: 220, left: 56, right: 12, top: 12, bottom: 26 } as const;

function niceTicks(min: number, max: number, count = 4): number[] {
  if (min === max) return [min];
  const span = max - min;
  const step = 10 ** Math.floor(Math.log10(span / count));
  const unit = [1, 2, 2.5, 5, 10].map((m) => m * step).find((s) => span / s <= count) ?? step * 10;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / unit) * unit; v <= max + 1e-9; v += unit) ticks.push(Number(v.toPrecision(10)));
  return ticks;
}

export function LineChart({
  times,
  series,
  unit,
  band,
  label,
  testId,
  overlay,
  domain,
}: {
  /** The x axis: the period shown (data may cover only part of it). */
  domain: { from: string; to: string };
  times: string[];
  series: ChartSeries[];
  unit: string;
  band?: { from: number; to: number; label: string };
  label: string;
  testId?: string;
  overlay?: ReactNode;
}) {
  const { width, height, left, right, top, bottom } = CHART;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (all.length === 0 || times.length === 0) {
    return <p className="py-8 text-center text-sm text-slate-500">No data for this chart in the period.</p>;
  }
  let min = Math.min(...all, ...(band ? [band.from] : []));
  let max = Math.max(...all, ...(band ? [band.to] : []));
  const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 1;
  min -= pad;
  max += pad;
  const t0 = Date.parse(domain.from);
  const t1 = Date.parse(domain.to);
  const xt = (t: number) => left + ((t - t0) / Math.max(1, t1 - t0)) * (width - left - right);
  // A bucket may start before the period (buckets are UTC-aligned): draw it at the period's start.
  const x = (i: number) => xt(Math.max(t0, Date.parse(times[i]!)));
  const y = (v: number) => top + (1 - (v - min) / (max - min)) * (height - top - bottom);
  const path = (values: (number | null)[]) => {
    let d = "";
    let pen = false;
    values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const ticks = niceTicks(min, max);
  const axis = [t0, (t0 + t1) / 2, t1];
  const step = times.length > 1 ? x(1) - x(0) : width - left - right;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="w-full" role="img" aria-label={label} data-testid={testId}>
      {band ? (
        <g>
          <rect
            x={left}
            width={width - left - right}
            y={y(band.to)}
            height={Math.max(0, y(band.from) - y(band.to))}
            fill="#dcfce7"
            opacity={0.6}
          />
          <text x={width - right - 4} y={y(band.to) + 11} fontSize="10" fill="#15803d" textAnchor="end">
            {band.label}
          </text>
        </g>
      ) : null}
      {ticks.map((v) => (
        <g key={v}>
          <line x1={left} x2={width - right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
          <text x={left - 6} y={y(v) + 3} fontSize="10" fill="#64748b" textAnchor="end">
            {formatAxis(v)}
          </text>
        </g>
      ))}
      <text x={4} y={top + 4} fontSize="10" fill="#64748b">
        {unit}
      </text>
      {axis.map((t, i) => (
        <text
          key={t}
          x={xt(t)}
          y={height - 8}
          fontSize="10"
          fill="#64748b"
          textAnchor={i === 0 ? "start" : i === axis.length - 1 ? "end" : "middle"}
        >
          {formatUtcMinute(t)}
        </text>
      ))}
      {series.map((s) => (
        <path
          key={s.name}
          d={path(s.values)}
          fill="none"
          stroke={s.color}
          strokeWidth={1.4}
          strokeDasharray={s.dashed ? "4 3" : undefined}
        />
      ))}
      <g data-hover="">
        {times.map((t, i) => (
          <rect
            key={t}
            x={x(i) - step / 2}
            y={top}
            width={Math.max(1, step)}
            height={height - top - bottom}
            fill="transparent"
          >
            <title>{`${formatUtc(Date.parse(t))}\n${series.map((s) => `${s.name}: ${s.values[i] === null || s.values[i] === undefined ? "—" : formatAxis(s.values[i]!)} ${unit}`).join("\n")}`}</title>
          </rect>
        ))}
      </g>
      {overlay}
    </svg>
  );
}

export function Legend({ series }: { series: ChartSeries[] }) {
  return (
    <div className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600">
      {series.map((s) => (
        <span key={s.name} className="inline-flex items-center gap-1">
          <span className="inline-block h-0.5 w-4" style={{ background: s.color }} />
          {s.name}
        </span>
      ))}
    </div>
  );
}
