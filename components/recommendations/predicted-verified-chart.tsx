// A server-rendered SVG of one recommendation's saving: BioCore's prediction (scaled to the hours
// verified), the prediction scaled to the change actually applied when it differs from the
// suggestion, and the verified saving with its 90 % uncertainty band (the calibrated band the
// verdict uses) as an error bar. Horizontal: kWh saved, zero marked.
import { formatNumber } from "@/lib/format";

const W = 560;
const ROW = 34;
const LEFT = 190;
const RIGHT = 24;

export type ChartBar = { label: string; kwh: number; u90?: number; tone: "predicted" | "scaled" | "verified" };
const COLORS = { predicted: "#1d4ed8", scaled: "#7c3aed", verified: "#047857" } as const;

function ticksOf(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const raw = span / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < 1e-9 ? 0 : v);
  return out;
}

export function PredictedVerifiedChart({ bars }: { bars: ChartBar[] }) {
  const values = bars.flatMap((b) => [b.kwh - (b.u90 ?? 0), b.kwh + (b.u90 ?? 0)]);
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  const pad = (hi - lo || 1) * 0.08;
  lo -= lo < 0 ? pad : 0;
  hi += pad;
  const H = 28 + bars.length * ROW + 34;
  const px = (v: number) => LEFT + ((v - lo) / (hi - lo)) * (W - LEFT - RIGHT);
  const top = 20;
  const ticks = ticksOf(lo, hi);
  const description = bars
    .map((b) => `${b.label}: ${formatNumber(b.kwh, 0)} kWh${b.u90 !== undefined ? ` ± ${formatNumber(b.u90, 0)}` : ""}`)
    .join("; ");
  return (
    <figure data-testid="predicted-verified-chart" className="mt-4">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-2xl" role="img" aria-label={description}>
        <title>Predicted vs verified saving (kWh, verified with its 90 % band)</title>
        {ticks.map((v) => (
          <g key={v}>
            <line
              x1={px(v)}
              x2={px(v)}
              y1={top - 4}
              y2={top + bars.length * ROW}
              stroke={v === 0 ? "#64748b" : "#e2e8f0"}
              strokeWidth={v === 0 ? 1 : 0.6}
            />
            <text x={px(v)} y={top + bars.length * ROW + 14} textAnchor="middle" fontSize={10} fill="#475569">
              {formatNumber(v, 0)}
            </text>
          </g>
        ))}
        <text x={(LEFT + W - RIGHT) / 2} y={H - 6} textAnchor="middle" fontSize={11} fill="#334155">
          saving (kWh)
        </text>
        {bars.map((b, i) => {
          const y = top + i * ROW + ROW / 2;
          const x0 = px(Math.min(0, b.kwh));
          const x1 = px(Math.max(0, b.kwh));
          return (
            <g key={b.label} data-testid={`chart-${b.tone}`}>
              <text x={LEFT - 8} y={y + 4} textAnchor="end" fontSize={11} fill="#0f172a">
                {b.label}
              </text>
              <rect x={x0} y={y - 8} width={Math.max(1, x1 - x0)} height={16} fill={COLORS[b.tone]} opacity={0.75} />
              {b.u90 !== undefined ? (
                <g stroke="#0f172a" strokeWidth={1.4}>
                  <line x1={px(b.kwh - b.u90)} x2={px(b.kwh + b.u90)} y1={y} y2={y} />
                  <line x1={px(b.kwh - b.u90)} x2={px(b.kwh - b.u90)} y1={y - 7} y2={y + 7} />
                  <line x1={px(b.kwh + b.u90)} x2={px(b.kwh + b.u90)} y1={y - 7} y2={y + 7} />
                </g>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-slate-600">
        Bars: saving over the hours verified. Black whiskers: the verified saving&apos;s 90 % uncertainty band (the
        calibrated band the verdict uses).
      </figcaption>
    </figure>
  );
}
