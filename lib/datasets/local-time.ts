// Local wall-clock times of one IANA zone → UTC instants, with the hours a DST change repeats or
// skips told apart. A file has millions of rows: between two transitions of the zone the offset is
// constant, so one "regime" (a range of wall times and its offset) answers every row in it with
// two comparisons; only the wall times near a transition go through Temporal (cached per time).
import { Temporal } from "temporal-polyfill";

/** A wall time read in the zone: one instant, two (a repeated hour) or none (a skipped hour). */
export type LocalResolution =
  | { kind: "single"; ms: number }
  /** The autumn change: `earlier` is the first occurrence (the summer offset), `later` the second. */
  | { kind: "ambiguous"; earlier: number; later: number }
  /** The spring change: the time never existed; `shifted` is it moved on by the gap (Temporal's "later"). */
  | { kind: "gap"; shifted: number };

type Regime = { wallFrom: number; wallTo: number; offset: number };

const NS_PER_MS = 1_000_000n;
const MAX_REGIMES = 64;
const MAX_CACHED = 10_000;

function epochMs(z: Temporal.ZonedDateTime): number {
  return Number(z.epochNanoseconds / NS_PER_MS);
}

export class LocalTimeZone {
  private regimes: Regime[] = [];
  private readonly near = new Map<number, LocalResolution>();

  constructor(readonly zone: string) {}

  /** `wall` is the local time's fields as if UTC (Date.UTC(y, m - 1, d, H, M, S, ms)). */
  resolve(wall: number): LocalResolution {
    const regimes = this.regimes;
    for (let i = 0; i < regimes.length; i++) {
      const r = regimes[i]!;
      if (wall >= r.wallFrom && wall < r.wallTo) return { kind: "single", ms: wall - r.offset };
    }
    const cached = this.near.get(wall);
    if (cached) return cached;
    return this.compute(wall);
  }

  private compute(wall: number): LocalResolution {
    const d = new Date(wall);
    const plain = new Temporal.PlainDateTime(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    );
    const earlier = plain.toZonedDateTime(this.zone, { disambiguation: "earlier" });
    const later = plain.toZonedDateTime(this.zone, { disambiguation: "later" });
    const e = epochMs(earlier);
    const l = epochMs(later);
    if (e === l) {
      this.learnRegime(earlier);
      // The regime may not cover this wall time (it is within an offset change of a transition).
      const r = this.regimes[0];
      if (!(r && wall >= r.wallFrom && wall < r.wallTo)) this.remember(wall, { kind: "single", ms: e });
      return { kind: "single", ms: e };
    }
    const repeated = earlier.toPlainDateTime().equals(plain) && later.toPlainDateTime().equals(plain);
    const answer: LocalResolution = repeated
      ? { kind: "ambiguous", earlier: e, later: l }
      : { kind: "gap", shifted: l };
    this.remember(wall, answer);
    return answer;
  }

  private remember(wall: number, answer: LocalResolution) {
    if (this.near.size < MAX_CACHED) this.near.set(wall, answer);
  }

  /**
   * The range of wall times around `at` that map to one instant each with `at`'s offset: between
   * the previous and the next transition, each end drawn in by the offset change there (the wall
   * times a transition repeats or skips stay outside).
   */
  private learnRegime(at: Temporal.ZonedDateTime) {
    const offset = at.offsetNanoseconds / 1e6;
    const prev = at.getTimeZoneTransition("previous");
    const next = at.getTimeZoneTransition("next");
    let wallFrom = -Infinity;
    if (prev) {
      const before = prev.subtract({ nanoseconds: 1 }).offsetNanoseconds / 1e6;
      wallFrom = epochMs(prev) + Math.max(offset, before);
    }
    let wallTo = Infinity;
    if (next) wallTo = epochMs(next) + Math.min(offset, next.offsetNanoseconds / 1e6);
    if (wallFrom >= wallTo) return;
    this.regimes.unshift({ wallFrom, wallTo, offset });
    if (this.regimes.length > MAX_REGIMES) this.regimes.pop();
  }
}
