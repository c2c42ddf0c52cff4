// What the data-quality checks found in a study's inputs and what was done about it: stale runs
// found in the observations the study reads (every source: CSV versions and MASS readings alike),
// and what the pinned dataset versions' loader dropped (duplicates, out-of-range rows).

/** Flags listed in a report at most; the count and the hours left out are always complete. */
export const MAX_LISTED_FLAGS = 200;

export type QualityFlag = {
  /** `stale`: a measured value unchanged for longer than the threshold. */
  kind: "stale";
  column: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  /** The run: from its first reading's start to its last reading's end. */
  from: string;
  to: string;
  /** UTC hours the run touches. */
  hours: number;
  /** The repeated value. */
  value: number;
};

export type SourceQuality = {
  dataset: string;
  version: number;
  /** Rows repeating a series' timestamp, dropped at load (the first kept). */
  duplicates: number;
  /** Rows refused at load (out-of-range or unreadable values): never stored, so their hours are incomplete. */
  rejected: number;
  /** Of those, per column: values outside the column's range. */
  outOfRange: Record<string, number>;
};

export type InputQuality = {
  rule: { staleAfterSeconds: number; includeFlagged: boolean; columns: string[] };
  /** The first `MAX_LISTED_FLAGS` flags, in time order. */
  flags: QualityFlag[];
  flagCount: number;
  /** Scope-hours left out because a series had a flagged value in them (0 when flagged data is included). */
  flaggedHours: number;
  sources: SourceQuality[];
};

/** The UTC hours (epoch ms of their start) a run [fromMs, toMs) touches. */
export function hoursTouched(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let h = fromMs - (((fromMs % 3_600_000) + 3_600_000) % 3_600_000); h < toMs; h += 3_600_000) out.push(h);
  return out;
}
