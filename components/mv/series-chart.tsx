// A server-rendered SVG chart of report series: time on x, bucket means on y (a year of hours
// draws as a few hundred vertices), an optional band (uncertainty) and a zero line.
import { formatAxis, formatUtcDay } from "@/lib/format";

export type SeriesLine = { name: string; color: string; values: number[]; dashed?: boolean };

const W = 720;
const H = 220;
const L = 64;
const R = 12;
const T = 14;
const B = 26;
const MAX_POINTS = 360;

function bucket(t: string[], columns: number[][]): { t: number[]; columns: number[][] } {
  const step = Math.max(1, Math.ceil(t.length / MAX_POINTS));
  const out = { t: [] as number[], columns: columns.map(() => [] as number[]) };
  for (let i = 0; i < t.length; i += step) {
    const end = Math.min(t.length, i + step);
    out.t.push(Date.parse(t[i]!));
    columns.forEach((c, k) => {
      let s = 0;
      for (let j = i; j < end; j++) s += c[j]!;
      out.columns[k]!.push(s / (end - i));
    });
  }
  return out;
}

export function SeriesChart({
  t,
  lines,
  band,
  unit,
  label,
  testId,
}: {
  t: string[];
  lines: SeriesLine[];
  band?: { lo: number[]; hi: number[]; name: string };
  unit: string;
  label: string;
  testId?: string;
}) {
  if (t.length === 0) return <p className="py-8 text-center text-sm text-slate-500">No intervals.</p>;
  const b = bucket(t, [...lines.map((l) => l.values), ...(band ? [band.lo, band.hi] : [])]);
  const all = b.columns.flat();
  let min = Math.min(...all);
  let max = Math.max(...all);
  const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 1;
  min -= pad;
  max += pad;
  const t0 = b.t[0]!;
  const t1 = b.t[b.t.length - 1]!;
  const x = (ms: number) => L + ((ms - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - min) / (max - min)) * (H - T - B);
  const path = (values: number[]) =>
    values.map((v, i) => `${i === 0 ? "M" : "L"}${x(b.t[i]!).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const ticks = [min + pad, (min + max) / 2, max - pad];
  const bandPath = band
    ? `${b.columns[lines.length + 1]!.map((v, i) => `${i === 0 ? "M" : "L"}${x(b.t[i]!).toFixed(1)},${y(v).toFixed(1)}`).join("")}${b.columns[
        lines.length
      ]!.map((_, i, lo) => {
        const k = lo.length - 1 - i;
        return `L${x(b.t[k]!).toFixed(1)},${y(lo[k]!).toFixed(1)}`;
      }).join("")}Z`
    : null;
  return (
    <figure data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={label}>
        <title>{label}</title>
        {bandPath ? <path d={bandPath} fill="#dbeafe" stroke="none" /> : null}
        <rect x={L} y={T} width={W - L - R} height={H - T - B} fill="none" stroke="#cbd5e1" strokeWidth={0.5} />
        {min < 0 && max > 0 ? <line x1={L} x2={W - R} y1={y(0)} y2={y(0)} stroke="#94a3b8" strokeWidth={0.6} /> : null}
        {ticks.map((v) => (
          <text key={v} x={L - 6} y={y(v) + 3} textAnchor="end" fontSize={10} fill="#475569">
            {formatAxis(v)}
          </text>
        ))}
        <text x={L - 6} y={T - 3} textAnchor="end" fontSize={10} fill="#475569">
          {unit}
        </text>
        <text x={L} y={H - 8} fontSize={10} fill="#475569">
          {formatUtcDay(t0)}
        </text>
        <text x={W - R} y={H - 8} fontSize={10} fill="#475569" textAnchor="end">
          {formatUtcDay(t1)}
        </text>
        {lines.map((l, i) => (
          <path
            key={l.name}
            d={path(b.columns[i]!)}
            fill="none"
            stroke={l.color}
            strokeWidth={1.2}
            strokeDasharray={l.dashed ? "4 3" : undefined}
          />
        ))}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-slate-600">
        {lines.map((l) => (
          <span key={l.name} className="inline-flex items-center gap-1">
            <svg aria-hidden width={16} height={4}>
              <line
                x1={0}
                x2={16}
                y1={2}
                y2={2}
                stroke={l.color}
                strokeWidth={2}
                strokeDasharray={l.dashed ? "4 3" : undefined}
              />
            </svg>
            {l.name}
          </span>
        ))}
        {band ? (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-2 w-4 bg-blue-100" />
            {band.name}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
