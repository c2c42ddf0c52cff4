// Two periods overlaid by hour of day (24 slots) or of week (168): a categorical x axis.
import { formatAxis } from "@/lib/format";
const W = 720;
const H = 220;
const L = 56;
const R = 12;
const T = 12;
const B = 26;
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function ProfileChart({
  before,
  after,
  unit,
  label,
  testId,
  kind,
}: {
  before: (number | null)[];
  after: (number | null)[];
  unit: string;
  label: string;
  testId?: string;
  kind: "day" | "week";
}) {
  const values = [...before, ...after].filter((v): v is number => v !== null);
  if (values.length === 0) return <p className="py-8 text-center text-sm text-slate-500">No data in these periods.</p>;
  let min = Math.min(...values);
  let max = Math.max(...values);
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.05 || 1;
  min -= pad;
  max += pad;
  const n = before.length;
  const x = (i: number) => L + (i / Math.max(1, n - 1)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - min) / (max - min)) * (H - T - B);
  const path = (vs: (number | null)[]) =>
    vs
      .map((v, i) =>
        v === null ? "" : `${i === 0 || vs[i - 1] === null ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`,
      )
      .join("");
  const ticks = kind === "day" ? [0, 6, 12, 18, 23] : [0, 24, 48, 72, 96, 120, 144];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label={label} data-testid={testId}>
      {[min + pad, (min + max) / 2, max - pad].map((v) => (
        <g key={v}>
          <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
          <text x={L - 6} y={y(v) + 3} fontSize="10" fill="#64748b" textAnchor="end">
            {formatAxis(v)}
          </text>
        </g>
      ))}
      <text x={4} y={T + 4} fontSize="10" fill="#64748b">
        {unit}
      </text>
      {ticks.map((i) => (
        <text key={i} x={x(i)} y={H - 8} fontSize="10" fill="#64748b" textAnchor="middle">
          {kind === "day" ? `${String(i).padStart(2, "0")}:00` : DAYS[i / 24]}
        </text>
      ))}
      <path d={path(before)} fill="none" stroke="#64748b" strokeWidth={1.4} strokeDasharray="4 3" />
      <path d={path(after)} fill="none" stroke="#0f766e" strokeWidth={1.6} />
      {before.map((b, i) => (
        <rect
          key={i}
          x={x(i) - (W - L - R) / n / 2}
          y={T}
          width={(W - L - R) / n}
          height={H - T - B}
          fill="transparent"
        >
          <title>{`${kind === "day" ? `${String(i).padStart(2, "0")}:00 UTC` : `${DAYS[Math.floor(i / 24)]} ${String(i % 24).padStart(2, "0")}:00 UTC`}\nbefore: ${b === null ? "—" : formatAxis(b)} ${unit}\nafter: ${after[i] === null || after[i] === undefined ? "—" : formatAxis(after[i]!)} ${unit}`}</title>
        </rect>
      ))}
    </svg>
  );
}
