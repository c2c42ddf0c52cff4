// The per-zone rack-inlet heatmap of the overview: zones × time buckets (an hour for a day, up to
// days for longer periods: at most MAX_COLUMNS columns), each cell the mean of the zone's p95
// rack-inlet readings in the bucket (and their highest), read as the trends are (rollups for whole
// hours and days, raw edges, one source per asset and hour: the dashboard's precedence rule).
import "server-only";
import { heatmapRows, type HeatmapRow } from "./queries/heatmap";
import { planRollups } from "./rollup-plan";
import type { Period, Scope } from "./scope";
import { bucketOrigin } from "./trends";

export const MAX_COLUMNS = 48;
/** Rows shown at most: the hottest zones (by their hottest cell), then by name. */
export const MAX_ZONES = 40;

const HOUR = 3600;
const DAY = 86_400;
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/** The columns of a period: the smallest step that keeps them within MAX_COLUMNS, and their starts
 * (UTC-aligned, the first at or before the period's start). */
export function heatmapBuckets(period: Period): { stepSeconds: number; starts: Date[] } {
  const seconds = (period.to.getTime() - period.from.getTime()) / 1000;
  const stepSeconds = STEPS.find((s) => Math.ceil(seconds / s) <= MAX_COLUMNS) ?? STEPS[STEPS.length - 1]!;
  const origin = bucketOrigin(period.from, stepSeconds).getTime();
  const starts: Date[] = [];
  for (let t = origin; t < period.to.getTime(); t += stepSeconds * 1000) starts.push(new Date(t));
  return { stepSeconds, starts };
}

export type HeatmapCell = { mean: number; max: number; readings: number } | null;
export type Heatmap = {
  stepSeconds: number;
  /** Column starts (ISO). */
  buckets: string[];
  zones: { tenant: string; zone: string; label: string; cells: HeatmapCell[] }[];
  /** Zones with readings in the period, shown or not. */
  zoneCount: number;
  min: number | null;
  max: number | null;
};

/** The grid of rows (tenant, zone, bucket) over the columns `starts`. Pure. */
export function heatmapGrid(rows: HeatmapRow[], stepSeconds: number, starts: Date[]): Heatmap {
  const column = new Map(starts.map((d, i) => [d.getTime(), i]));
  const zones = new Map<string, { tenant: string; zone: string; cells: HeatmapCell[]; hottest: number }>();
  for (const r of rows) {
    const key = `${r.tenant_id}\u0000${r.zone}`;
    let z = zones.get(key);
    if (!z)
      zones.set(key, (z = { tenant: r.tenant_id, zone: r.zone, cells: starts.map(() => null), hottest: -Infinity }));
    const i = column.get(r.bucket.getTime());
    if (i === undefined) throw new Error(`heatmap bucket ${r.bucket.toISOString()} is not a column`);
    z.cells[i] = { mean: r.mean, max: r.max, readings: r.readings };
    z.hottest = Math.max(z.hottest, r.mean);
  }
  const all = [...zones.values()];
  const shown = [...all]
    .sort((a, b) => b.hottest - a.hottest || a.zone.localeCompare(b.zone) || a.tenant.localeCompare(b.tenant))
    .slice(0, MAX_ZONES)
    .sort((a, b) => a.zone.localeCompare(b.zone) || a.tenant.localeCompare(b.tenant));
  const tenants = new Set(all.map((z) => z.tenant));
  const means = rows.map((r) => r.mean);
  return {
    stepSeconds,
    buckets: starts.map((d) => d.toISOString()),
    zones: shown.map((z) => ({
      tenant: z.tenant,
      zone: z.zone,
      label: tenants.size > 1 ? `${z.zone} (${z.tenant})` : z.zone,
      cells: z.cells,
    })),
    zoneCount: all.length,
    min: means.length ? Math.min(...means) : null,
    max: means.length ? Math.max(...means) : null,
  };
}

export async function inletHeatmap(scope: Scope, period: Period): Promise<Heatmap> {
  const { stepSeconds, starts } = heatmapBuckets(period);
  const origin = starts[0] ?? period.from;
  const plan = planRollups(period, { stepMs: stepSeconds * 1000, originMs: origin.getTime() });
  const rows = await heatmapRows(scope, plan, stepSeconds, origin);
  return heatmapGrid(rows, stepSeconds, starts);
}
