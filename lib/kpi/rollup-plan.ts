// Which parts of a period the dashboard may read from the rollups and which from raw observations.
// A rollup row holds every observation whose interval starts in its UTC day or hour, so a whole
// day or hour inside the period can be read from it and gives exactly what its raw rows would;
// the partial hours at the edges are read raw. For a trend, a day or hour is whole only when it
// also lies inside one chart bucket (buckets start at the period's start, which need not fall on
// an hour). Pure: the same period gives the same plan.
import { DAY_MS, HOUR_MS } from "@/lib/rollups/measures";

export { DAY_MS, HOUR_MS };

export type TimeRange = { from: Date; to: Date };
export type RollupPlan = { day: TimeRange[]; hour: TimeRange[]; raw: TimeRange[] };
export type TrendBuckets = { stepMs: number; originMs: number };

const LEVELS = [DAY_MS, HOUR_MS] as const;

/** Splits [from, to) into whole UTC days, then whole hours, then raw remainders. */
export function planRollups(period: TimeRange, buckets?: TrendBuckets): RollupPlan {
  const plan: RollupPlan = { day: [], hour: [], raw: [] };
  const from = period.from.getTime();
  const to = period.to.getTime();
  if (!(to > from)) return plan;
  split(from, to, 0, plan, buckets);
  return plan;
}

function split(from: number, to: number, level: number, plan: RollupPlan, buckets: TrendBuckets | undefined): void {
  const size = LEVELS[level];
  if (size === undefined) {
    push(plan.raw, from, to);
    return;
  }
  const out = (f: number, t: number) => {
    if (t > f) split(f, t, level + 1, plan, buckets);
  };
  const target = size === DAY_MS ? plan.day : plan.hour;
  let cursor = from; // everything before `cursor` is placed
  for (let t = Math.ceil(from / size) * size; t + size <= to; t += size) {
    if (!inOneBucket(t, t + size - 1, buckets)) continue;
    out(cursor, t);
    push(target, t, t + size);
    cursor = t + size;
  }
  out(cursor, to);
}

/** Whether instants a and b (ms) fall into the same trend bucket (always, for KPIs). */
function inOneBucket(a: number, b: number, buckets: TrendBuckets | undefined): boolean {
  if (!buckets) return true;
  const bucket = (x: number) => Math.floor((x - buckets.originMs) / buckets.stepMs);
  return bucket(a) === bucket(b);
}

/** Appends [from, to), merged into the last range when they touch. */
function push(ranges: TimeRange[], from: number, to: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.to.getTime() === from) last.to = new Date(to);
  else ranges.push({ from: new Date(from), to: new Date(to) });
}
