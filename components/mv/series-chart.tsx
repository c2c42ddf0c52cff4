// A report's series on the interactive chart (components/charts/time-chart.tsx): bucket means
// computed here on the server (a year of hours is sent as at most MAX_POINTS points), an optional
// band (the savings' uncertainty) drawn as a filled area between its edges.
import { TimeChart, type SeriesColor } from "@/components/charts/time-chart";

export type SeriesLine = { name: string; color: SeriesColor; values: number[]; dashed?: boolean };

const MAX_POINTS = 720;

/** Means of consecutive runs of points, at most MAX_POINTS runs; each run at its first instant. */
export function bucketMeans(t: string[], columns: number[][]): { t: string[]; columns: number[][] } {
  const step = Math.max(1, Math.ceil(t.length / MAX_POINTS));
  const out = { t: [] as string[], columns: columns.map(() => [] as number[]) };
  for (let i = 0; i < t.length; i += step) {
    const end = Math.min(t.length, i + step);
    out.t.push(t[i]!);
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
  syncKey,
}: {
  t: string[];
  lines: SeriesLine[];
  band?: { lo: number[]; hi: number[]; name: string };
  unit: string;
  label: string;
  testId?: string;
  syncKey?: string;
}) {
  if (t.length === 0)
    return (
      <p className="py-8 text-center text-sm text-slate-500" data-testid={testId}>
        No intervals.
      </p>
    );
  const b = bucketMeans(t, [...lines.map((l) => l.values), ...(band ? [band.lo, band.hi] : [])]);
  return (
    <TimeChart
      x={{ kind: "time", times: b.t }}
      series={lines.map((l, i) => ({ name: l.name, color: l.color, dashed: l.dashed, values: b.columns[i]! }))}
      band={band ? { name: band.name, lo: b.columns[lines.length]!, hi: b.columns[lines.length + 1]! } : undefined}
      unit={unit}
      label={label}
      testId={testId}
      syncKey={syncKey}
    />
  );
}
