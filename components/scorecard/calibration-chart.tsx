// A server-rendered SVG calibration chart: BioCore's predicted saving (x) against the verified
// saving (y) with its 90 % error bar, one point per implemented recommendation; on the dashed
// diagonal the engine was exactly right, above it the engine under-predicted.
import { calibrationLayout, VERDICT_COLORS, type CalibrationPoint } from "@/lib/verification/calibration";
import { formatNumber } from "@/lib/format";

const W = 560;
const H = 360;

export function CalibrationChart({ points }: { points: CalibrationPoint[] }) {
  if (points.length === 0)
    return <p className="py-8 text-center text-sm text-slate-500">No verified implementation yet.</p>;
  const g = calibrationLayout(points, W, H);
  const { plot } = g;
  return (
    <figure data-testid="calibration-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full max-w-2xl"
        role="img"
        aria-label="Calibration: predicted vs verified saving (kWh) with 90 % error bars"
      >
        <title>Calibration: predicted vs verified saving (kWh)</title>
        <rect x={plot.x} y={plot.y} width={plot.w} height={plot.h} fill="none" stroke="#cbd5e1" strokeWidth={0.5} />
        <line
          x1={g.px(g.lo)}
          y1={g.py(g.lo)}
          x2={g.px(g.hi)}
          y2={g.py(g.hi)}
          stroke="#94a3b8"
          strokeDasharray="4 3"
          strokeWidth={0.8}
        />
        <line x1={plot.x} x2={plot.x + plot.w} y1={g.py(0)} y2={g.py(0)} stroke="#cbd5e1" strokeWidth={0.6} />
        <line y1={plot.y} y2={plot.y + plot.h} x1={g.px(0)} x2={g.px(0)} stroke="#cbd5e1" strokeWidth={0.6} />
        {g.ticks.map((v) => (
          <g key={v}>
            <text x={plot.x - 6} y={g.py(v) + 3} textAnchor="end" fontSize={10} fill="#475569">
              {formatNumber(v)}
            </text>
            <text x={g.px(v)} y={plot.y + plot.h + 13} textAnchor="middle" fontSize={10} fill="#475569">
              {formatNumber(v)}
            </text>
          </g>
        ))}
        <text x={plot.x + plot.w / 2} y={H - 6} textAnchor="middle" fontSize={11} fill="#334155">
          predicted saving (kWh)
        </text>
        <text
          x={12}
          y={plot.y + plot.h / 2}
          textAnchor="middle"
          fontSize={11}
          fill="#334155"
          transform={`rotate(-90 12 ${plot.y + plot.h / 2})`}
        >
          verified saving (kWh, ± 90 %)
        </text>
        {g.points.map((p) => (
          <g key={p.id} data-testid="calibration-point">
            <title>{`${p.label}: predicted ${formatNumber(p.predictedKwh)} kWh, verified ${formatNumber(p.verifiedKwh)} ± ${formatNumber(p.u90Kwh)} kWh (${p.verdict.replace("_", " ")})`}</title>
            <line x1={p.cx} x2={p.cx} y1={p.yLo} y2={p.yHi} stroke={VERDICT_COLORS[p.verdict]} strokeWidth={1.4} />
            <line
              x1={p.cx - 4}
              x2={p.cx + 4}
              y1={p.yLo}
              y2={p.yLo}
              stroke={VERDICT_COLORS[p.verdict]}
              strokeWidth={1.2}
            />
            <line
              x1={p.cx - 4}
              x2={p.cx + 4}
              y1={p.yHi}
              y2={p.yHi}
              stroke={VERDICT_COLORS[p.verdict]}
              strokeWidth={1.2}
            />
            <circle cx={p.cx} cy={p.cy} r={4} fill={VERDICT_COLORS[p.verdict]} />
          </g>
        ))}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        Dashed: predicted = verified. Above the diagonal the engine under-predicted, below it over-predicted. Colour:
        verdict (green confirmed, red not confirmed, amber inconclusive).
      </figcaption>
    </figure>
  );
}
