// Where and when an implemented recommendation is verified: the measurement boundary its category
// acts on, its scope, and baseline/reporting periods of whole UTC days around the time it took
// effect. Pure: the verification study's specification follows from these and the data pinned.
import { DAY_MS } from "@/lib/mv/intervals";
import type { StudySpecInput } from "@/lib/mv/spec";

/** Cooling actions save on the chiller and fans: Option B isolates that sub-meter; anything else is judged on the facility meter (Option C). */
export const COOLING_CATEGORIES: ReadonlySet<string> = new Set(["cooling_setpoint", "fan_speed"]);
export const boundaryOf = (category: string): "cooling" | "facility" =>
  COOLING_CATEGORIES.has(category) ? "cooling" : "facility";

export type Windows = { baseline: { from: string; to: string }; reporting: { from: string; to: string } };

/**
 * Baseline: the `baselineDays` whole days before the day the change took effect; reporting: the
 * `reportingDays` whole days from the first midnight at or after it. A change made mid-day leaves
 * that day out of both periods (it is neither before nor after).
 */
export function verificationWindows(effectiveAt: Date, baselineDays: number, reportingDays: number): Windows {
  const t = effectiveAt.getTime();
  const floor = t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
  const ceil = floor === t ? t : floor + DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    baseline: { from: iso(floor - baselineDays * DAY_MS), to: iso(floor) },
    reporting: { from: iso(ceil), to: iso(ceil + reportingDays * DAY_MS) },
  };
}

export type Scope = { siteId: string | null; clusterId: string | null; zoneId: string | null };

/**
 * The verification study: daily intervals, the model chosen automatically by blocked
 * cross-validation (mean, IT, IT + cooling degree-days, IT × lift; docs/MV-METHOD.md §3.7), on the recommendation's own scope — the one BioCore's prediction was made
 * for — and the tenant's latest ready dataset versions plus MASS data up to the end of reporting;
 * whole days only.
 */
export function verificationSpec(input: {
  category: string;
  scope: Scope;
  windows: Windows;
  datasetVersionIds: string[];
}): StudySpecInput {
  const s = input.scope;
  return {
    scope: {
      ...(s.siteId ? { siteId: s.siteId } : {}),
      ...(s.clusterId ? { clusterId: s.clusterId } : {}),
      ...(s.zoneId ? { zoneId: s.zoneId } : {}),
    },
    boundary: boundaryOf(input.category),
    source: { datasetVersionIds: [...input.datasetVersionIds].sort(), massUntil: input.windows.reporting.to },
    baseline: input.windows.baseline,
    reporting: input.windows.reporting,
    granularity: "daily",
    model: { kind: "auto", balancePointC: null },
    // Whole days only: the verification re-runs as data arrives, and a partial day (scaled to 24 h
    // from 12 hours or more, MV-METHOD §2) would change with every hour that arrives — a new stored
    // report per hour, each extrapolating the day in progress.
    assumptions: { sufficiency: { minHoursPerDay: 24 } },
  };
}

/** Two scopes overlap when they share the site and neither narrows to a different cluster or zone. */
export function scopesOverlap(a: Scope, b: Scope): boolean {
  const meet = (x: string | null, y: string | null) => x === null || y === null || x === y;
  return a.siteId === b.siteId && meet(a.clusterId, b.clusterId) && meet(a.zoneId, b.zoneId);
}

/** The verification windows of two implementations intersect: one change would leak into the other's baseline or reporting period. */
export function windowsIntersect(a: { from: Date; to: Date }, b: { from: Date; to: Date }): boolean {
  return a.from < b.to && b.from < a.to;
}
