// Per-series bookkeeping while a CSV streams through: duplicates (same series and timestamp: the
// first is kept), the interval (given, or inferred from the first timestamps of the series), stale
// runs (a measured value unchanged for longer than the threshold) and, at the end, the missing-
// interval ratio against the expected interval.
import type { IdColumn, SignalColumn } from "./columns";
import type { ParsedRow } from "./rows";

export type QualityThresholds = { maxMissingRatio: number; maxStalenessSeconds: number };

export type ReadyRow = ParsedRow & { intervalSeconds: number };

type StaleState = { last: number | null; runStart: number; runs: number; longest: number; counted: boolean };

type Series = {
  ids: Record<IdColumn, string | null>;
  /** The timestamps seen, while each came after the last (8 bytes each); then `timestamps`. */
  increasing: number[] | null;
  timestamps: Set<number> | null;
  rows: number;
  duplicates: number;
  min: number;
  max: number;
  lastTs: number | null;
  ordered: boolean;
  interval: number | null;
  pending: ParsedRow[];
  stale: StaleState[];
};

export type SeriesQuality = {
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  rows: number;
  duplicates: number;
  first_utc: string;
  last_utc: string;
  interval_seconds: number;
  expected_intervals: number;
  missing_ratio: number;
  in_time_order: boolean;
  stale: { column: string; runs: number; longest_seconds: number }[];
  passes: { missing: boolean; staleness: boolean };
};

const PENDING_FOR_INFERENCE = 4;

// Configuration-like signals legitimately hold still for days; staleness is about measurements.
function measured(signal: SignalColumn): boolean {
  return (signal.unit === "kw" || signal.unit === "c") && signal.name !== "cooling_setpoint_c";
}

export class QualityTracker {
  private readonly series = new Map<string, Series>();
  // parseRow hands every row of a series the same ids object: found by identity, no key string.
  private readonly byIds = new Map<object, Series>();
  private readonly checked: boolean[];

  constructor(
    private readonly signals: readonly SignalColumn[],
    private readonly thresholds: QualityThresholds,
  ) {
    this.checked = signals.map(measured);
  }

  /** The row's series, found by its ids' values (created on its first row). */
  private seriesOf(row: ParsedRow): Series {
    const key = `${row.ids.site_id}\u0000${row.ids.facility_id ?? ""}\u0000${row.ids.cluster_id ?? ""}\u0000${row.ids.zone_id ?? ""}`;
    let s = this.series.get(key);
    if (!s) {
      s = {
        ids: row.ids,
        increasing: [],
        timestamps: null,
        rows: 0,
        duplicates: 0,
        min: row.ts,
        max: row.ts,
        lastTs: null,
        ordered: true,
        interval: null,
        pending: [],
        stale: this.signals.map(() => ({ last: null, runStart: row.ts, runs: 0, longest: 0, counted: false })),
      };
      this.series.set(key, s);
    }
    if (this.byIds.size < 100_000) this.byIds.set(row.ids, s);
    return s;
  }

  /** Registers a valid row; returns the rows now ready to store (a duplicate returns none). */
  add(row: ParsedRow): ReadyRow[] {
    let s = this.byIds.get(row.ids);
    if (!s) s = this.seriesOf(row);
    if (s.increasing !== null && (s.lastTs === null || row.ts > s.lastTs)) s.increasing.push(row.ts);
    else {
      // A step back in time (or a repeat): from now on the timestamps are looked up in a set.
      if (s.increasing !== null) {
        s.timestamps = new Set(s.increasing);
        s.increasing = null;
      }
      if (s.timestamps!.has(row.ts)) {
        s.duplicates += 1;
        return [];
      }
      s.timestamps!.add(row.ts);
    }
    s.rows += 1;
    if (row.ts < s.min) s.min = row.ts;
    if (row.ts > s.max) s.max = row.ts;
    if (s.lastTs !== null && row.ts < s.lastTs) s.ordered = false;
    s.lastTs = row.ts;
    if (s.ordered) this.trackStaleness(s, row);
    if (row.intervalSeconds !== null) {
      // A given interval (the interval_seconds column) is the series' interval: the first one.
      s.interval ??= row.intervalSeconds;
      return [row as ReadyRow];
    }
    if (s.interval !== null) {
      row.intervalSeconds = s.interval;
      return [row as ReadyRow];
    }
    s.pending.push(row);
    if (s.pending.length < PENDING_FOR_INFERENCE) return [];
    s.interval = smallestStep(s.pending.map((r) => r.ts));
    return this.release(s);
  }

  /** Rows still waiting for their series' interval, at the end of the file. */
  flush(): { ready: ReadyRow[]; unresolved: number } {
    // Series with two timestamps or more infer their own interval first; a single-row series then
    // takes the most common interval of the others.
    for (const s of this.series.values())
      if (s.interval === null && s.pending.length > 1) s.interval = smallestStep(s.pending.map((r) => r.ts));
    const fallback = mostCommon(
      [...this.series.values()].map((s) => s.interval).filter((i): i is number => i !== null),
    );
    const ready: ReadyRow[] = [];
    let unresolved = 0;
    for (const s of this.series.values()) {
      if (s.pending.length === 0) continue;
      s.interval ??= fallback;
      if (s.interval === null) unresolved += s.pending.length;
      else ready.push(...this.release(s));
    }
    return { ready, unresolved };
  }

  /** The most common interval over all rows' series, for the version record. */
  dominantInterval(): number | null {
    return mostCommon([...this.series.values()].flatMap((s) => (s.interval !== null ? [s.interval] : [])));
  }

  report(columnName: (signalIndex: number) => string): SeriesQuality[] {
    return [...this.series.values()].map((s) => {
      const interval = s.interval ?? this.dominantInterval() ?? 0;
      const expected = interval > 0 ? Math.floor((s.max - s.min) / (interval * 1000)) + 1 : s.rows;
      const distinct = s.increasing !== null ? s.increasing.length : s.timestamps!.size;
      const missingRatio = expected > 0 ? Math.max(0, 1 - distinct / expected) : 0;
      const stale = s.stale
        .map((st, i) => ({ column: columnName(i), runs: st.runs, longest_seconds: Math.round(st.longest / 1000) }))
        .filter((x, i) => this.checked[i] && x.runs > 0);
      return {
        site_id: s.ids.site_id ?? "",
        facility_id: s.ids.facility_id,
        cluster_id: s.ids.cluster_id,
        zone_id: s.ids.zone_id,
        rows: s.rows,
        duplicates: s.duplicates,
        first_utc: new Date(s.min).toISOString(),
        last_utc: new Date(s.max).toISOString(),
        interval_seconds: interval,
        expected_intervals: expected,
        missing_ratio: Number(missingRatio.toFixed(6)),
        in_time_order: s.ordered,
        stale,
        passes: {
          missing: missingRatio <= this.thresholds.maxMissingRatio,
          staleness: stale.every((x) => x.longest_seconds <= this.thresholds.maxStalenessSeconds),
        },
      };
    });
  }

  get duplicates(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.duplicates;
    return n;
  }

  private release(s: Series): ReadyRow[] {
    const rows = s.pending;
    for (const r of rows) r.intervalSeconds ??= s.interval!;
    s.pending = [];
    return rows as ReadyRow[];
  }

  private trackStaleness(s: Series, row: ParsedRow) {
    const limit = this.thresholds.maxStalenessSeconds * 1000;
    for (let i = 0; i < row.values.length; i++) {
      const v = row.values[i]!;
      if (!this.checked[i] || v === null) continue;
      const st = s.stale[i]!;
      if (st.last === v) {
        const length = row.ts - st.runStart;
        if (length > st.longest) st.longest = length;
        if (length > limit && !st.counted) {
          st.runs += 1;
          st.counted = true;
        }
      } else {
        st.last = v;
        st.runStart = row.ts;
        st.counted = false;
      }
    }
  }
}

/** The smallest positive step between sorted distinct timestamps, in seconds (robust to gaps). */
function smallestStep(ts: number[]): number | null {
  const sorted = [...new Set(ts)].sort((a, b) => a - b);
  let best: number | null = null;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0 && (best === null || d < best)) best = d;
  }
  return best === null ? null : Math.max(1, Math.round(best / 1000));
}

function mostCommon(values: number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [v, c] of counts)
    if (c > bestCount || (c === bestCount && best !== null && v < best)) [best, bestCount] = [v, c];
  return best;
}
