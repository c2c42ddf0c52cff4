// Time series for the trend charts, downsampled in the database to at most `points` buckets: each
// bucket's average power is its energy over its length (so the chart's area is the energy), PUE is
// energy-weighted, and the rack-inlet series carry the bucket's mean and maximum (the peaks stay
// visible however far out one zooms). Buckets are aligned on UTC (hours for steps up to a day,
// midnights beyond), so every whole hour or day lies inside one bucket and is read from the rollups
// (queries/rollup-parts.ts); a bucket cut by the period's edges is averaged over the part inside
// the period.
import "server-only";
import { trendRows } from "./queries/trends";
import { planRollups } from "./rollup-plan";
import type { Period, Scope } from "./scope";

export type TrendPoint = {
  t: string;
  facilityKw: number | null;
  itKw: number | null;
  pue: number | null;
  p95InletC: number | null;
  p95InletMaxC: number | null;
  cost: number | null;
  carbonIntensity: number | null;
};

const STEPS_SECONDS = [
  900,
  1800,
  3600,
  7200,
  10_800,
  21_600,
  43_200,
  86_400,
  2 * 86_400,
  7 * 86_400,
  14 * 86_400,
  30 * 86_400,
];

/** The smallest bucket from a ladder of round sizes that keeps the series within `points`. */
export function bucketSeconds(period: Period, points: number): number {
  const seconds = (period.to.getTime() - period.from.getTime()) / 1000;
  return STEPS_SECONDS.find((s) => seconds / s <= points) ?? STEPS_SECONDS[STEPS_SECONDS.length - 1]!;
}

export type Trends = { bucketSeconds: number; points: TrendPoint[] };

const DAY_SECONDS = 86_400;

/** Where buckets of `step` seconds start: a UTC boundary at or before `from` (every step up to a
 * day divides a day; longer steps start at midnight). */
export function bucketOrigin(from: Date, step: number): Date {
  const unit = Math.min(step, DAY_SECONDS) * 1000;
  return new Date(Math.floor(from.getTime() / unit) * unit);
}

export async function computeTrends(scope: Scope, period: Period, points = 400): Promise<Trends> {
  const step = bucketSeconds(period, points);
  // Rollup days and hours only where each lies inside one chart bucket; the rest raw.
  const origin = bucketOrigin(period.from, step);
  const plan = planRollups(period, { stepMs: step * 1000, originMs: origin.getTime() });
  const rows = await trendRows(scope, plan, step, origin);
  const from = period.from.getTime();
  const to = period.to.getTime();
  // The part of the bucket inside the period, in hours: average power is energy over it.
  const hoursIn = (bucket: Date) =>
    (Math.min(bucket.getTime() + step * 1000, to) - Math.max(bucket.getTime(), from)) / 3_600_000;
  const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));
  return {
    bucketSeconds: step,
    points: rows.map((r) => ({
      t: r.bucket.toISOString(),
      facilityKw: round(r.fac_kwh === null ? null : r.fac_kwh / hoursIn(r.bucket), 1),
      itKw: round(r.it_kwh === null ? null : r.it_kwh / hoursIn(r.bucket), 1),
      pue: round(r.pue_fac && r.pue_it ? r.pue_fac / r.pue_it : null, 4),
      p95InletC: round(r.p95, 2),
      p95InletMaxC: round(r.p95_max, 2),
      cost: round(r.cost, 2),
      carbonIntensity: round(r.carbon !== null && r.carbon_kwh ? r.carbon / r.carbon_kwh : null, 1),
    })),
  };
}
