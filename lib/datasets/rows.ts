// One CSV record → one observation's values, or the reasons it cannot be one. Values are checked
// with the contract's ranges; an empty cell (or NA, N/A, null) is a missing value, not an error.
// The per-header work (which column is what, its range and unit conversion) is compiled once per
// upload, and repeated timestamps and ids are parsed once: a file has millions of rows.
import type { ColumnRole, HeaderMapping, IdColumn, SignalColumn } from "./columns";
import type { DateFormat, Decimal, DstAmbiguous, DstCounts, DstGap } from "./import-options";
import { LocalTimeZone } from "./local-time";

export type RowProblem = { row: number; column: string; value: string; reason: string };

export type ParsedRow = {
  ts: number;
  ids: Record<IdColumn, string | null>;
  intervalSeconds: number | null;
  /** Aligned with `mapping.signals`. */
  values: (number | null)[];
};

const MISSING = new Set(["", "na", "n/a", "null", "none", "-"]);
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, bounded repeats only ({2}, {1,9}): linear
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MAX_CELL = 1024;
// Printable, no control characters; 1–64 characters like the contract's asset ids.
const ID = /^[^\p{Cc}]{1,64}$/u;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, each part unambiguous (digits, then '.', then 'e'): linear
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Epoch milliseconds of a timestamp cell: ISO 8601 (a missing zone means UTC), or epoch s/ms. */
export function parseTimestampCell(text: string): number | null {
  const t = text.trim();
  const m = ISO.exec(t);
  if (m) {
    const zone = m[3]
      ? m[3].toUpperCase() === "Z"
        ? "Z"
        : m[3].length === 3
          ? `${m[3]}:00`
          : m[3].includes(":")
            ? m[3]
            : `${m[3].slice(0, 3)}:${m[3].slice(3)}`
      : "Z";
    const ms = Date.parse(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}${zone}`);
    return Number.isFinite(ms) ? ms : null;
  }
  const n = decimal(t);
  if (n === undefined || n < 0) return null;
  const ms = n > 1e11 ? n : n * 1000;
  return Number.isFinite(ms) && ms < 8.64e15 ? Math.round(ms) : null;
}

// eslint-disable-next-line security/detect-unsafe-regex -- anchored, bounded repeats only: linear
const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, bounded repeats only: linear
const YEAR_FIRST = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** A timestamp cell read in a date format: an instant, a wall time (no offset: read in the zone), or null. */
export type ParsedTime = { ms: number; naive: boolean } | null;

function wallTime(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : null;
}

/** Reads a timestamp cell in `format`; `naive` when it carries no offset (a wall time, as if UTC). */
export function parseTimeIn(text: string, format: DateFormat): ParsedTime {
  const t = text.trim();
  if (format === "iso") {
    const m = ISO.exec(t);
    if (m && !m[3]) {
      const ms = Date.parse(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}Z`);
      return Number.isFinite(ms) ? { ms, naive: true } : null;
    }
    const ms = parseTimestampCell(t);
    return ms === null ? null : { ms, naive: false };
  }
  const m = (format === "yyyy-mm-dd" ? YEAR_FIRST : DAY_FIRST).exec(t);
  if (!m) return null;
  const [a, b] = format === "mm/dd/yyyy" ? [Number(m[3]), Number(m[1])] : [Number(m[1]), Number(m[3])];
  const ms =
    format === "yyyy-mm-dd"
      ? wallTime(a, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0))
      : wallTime(Number(m[4]), b, a, Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0));
  return ms === null ? null : { ms, naive: true };
}

const FORMAT_REASON: Record<DateFormat, string> = {
  iso: "is not an ISO 8601 timestamp (with an offset, or read in the time zone when it has none) or epoch seconds/milliseconds",
  "dd/mm/yyyy": "is not a timestamp in the format dd/mm/yyyy HH:mm[:ss]",
  "mm/dd/yyyy": "is not a timestamp in the format mm/dd/yyyy HH:mm[:ss]",
  "yyyy-mm-dd": "is not a timestamp in the format yyyy-mm-dd HH:mm[:ss]",
};

/** How the cells of a load are read (lib/datasets/import-options.ts decides them). */
export type RowOptions = {
  decimal: Decimal;
  dateFormat: DateFormat;
  /** The zone of timestamps without an offset. */
  timezone: string;
  dstAmbiguous: DstAmbiguous;
  dstGap: DstGap;
};

export const DEFAULT_ROW_OPTIONS: RowOptions = {
  decimal: ".",
  dateFormat: "iso",
  timezone: "UTC",
  dstAmbiguous: "by_order",
  dstGap: "reject",
};

/** A number written with a decimal comma ("1234,5"); a point in it is refused (no thousands separators). */
function decimalComma(text: string): number | undefined {
  if (text.indexOf(".") !== -1) return undefined;
  const i = text.indexOf(",");
  return decimal(i === -1 ? text : `${text.slice(0, i)}.${text.slice(i + 1)}`);
}

/** A plain decimal number (sign, digits, point, exponent); no hex, no Infinity, no NaN. */
function decimal(text: string): number | undefined {
  // The usual cell ("691.8", "-3", "0.1252") is checked by a scan; anything else by the pattern.
  const length = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 45 || c === 43) i = 1;
  let digits = 0;
  let point = false;
  for (; i < length; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (c === 46 && !point) point = true;
    else break;
  }
  if (i !== length || digits === 0) {
    if (!DECIMAL.test(text)) return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A timestamp cell as read: `kind` 0 one instant, 1 in a repeated hour (`alt` the later one), 2 in a skipped hour. */
type TimeCell = { text: string; ms: number | null; alt: number; kind: 0 | 1 | 2; naive: boolean };

type Compiled = {
  columns: { index: number; header: string; role: ColumnRole }[];
  signals: { index: number; header: string; signal: SignalColumn; convert: (v: number) => number }[];
  options: RowOptions;
  number: (text: string) => number | undefined;
  zone: LocalTimeZone | null;
  lastTimestamp: TimeCell;
  dst: DstCounts;
  naiveRows: number;
  /** by_order: the repeated wall times seen, per series. */
  seenRepeated: Map<string, Set<number>>;
  ids: Map<string, string | null>;
  /** One ids object per series (site → facility → cluster → zone): later steps key on it. */
  series: Map<
    string | null,
    Map<string | null, Map<string | null, Map<string | null, Record<IdColumn, string | null>>>>
  >;
  seriesCount: number;
};

/** The series' one ids object (while there are fewer than 100,000 series; else `ids` itself). */
function canonical(c: Compiled, ids: Record<IdColumn, string | null>): Record<IdColumn, string | null> {
  let f = c.series.get(ids.site_id);
  if (!f) c.series.set(ids.site_id, (f = new Map()));
  let k = f.get(ids.facility_id);
  if (!k) f.set(ids.facility_id, (k = new Map()));
  let z = k.get(ids.cluster_id);
  if (!z) k.set(ids.cluster_id, (z = new Map()));
  const found = z.get(ids.zone_id);
  if (found) return found;
  if (c.seriesCount < 100_000) {
    c.seriesCount += 1;
    z.set(ids.zone_id, ids);
  }
  return ids;
}

const compiledFor = new WeakMap<HeaderMapping, Compiled>();

function compile(headers: readonly string[], mapping: HeaderMapping, options: RowOptions): Compiled {
  const columns: Compiled["columns"] = [];
  const signals: Compiled["signals"] = [];
  mapping.roles.forEach((role, index) => {
    if (!role) return;
    if (role.kind === "signal")
      signals.push({ index, header: headers[index]!, signal: role.signal, convert: role.convert });
    else columns.push({ index, header: headers[index]!, role });
  });
  return {
    columns,
    signals,
    options,
    number: options.decimal === "," ? decimalComma : decimal,
    zone: options.timezone === "UTC" ? null : new LocalTimeZone(options.timezone),
    lastTimestamp: { text: "", ms: null, alt: 0, kind: 0, naive: false },
    dst: {
      ambiguous_rows: 0,
      ambiguous_earlier: 0,
      ambiguous_later: 0,
      ambiguous_rejected: 0,
      gap_rows: 0,
      gap_shifted: 0,
      gap_rejected: 0,
    },
    naiveRows: 0,
    seenRepeated: new Map(),
    ids: new Map(),
    series: new Map(),
    seriesCount: 0,
  };
}

/** A timestamp cell read with the load's options (the default path: ISO, UTC, as before). */
function readTime(c: Compiled, cell: string): TimeCell {
  const text = cell.trim().toLowerCase();
  if (MISSING.has(text)) return { text: cell, ms: null, alt: 0, kind: 0, naive: false };
  if (c.zone === null && c.options.dateFormat === "iso") {
    const ms = parseTimestampCell(cell);
    // Only counted (a time without an offset is UTC here): an ISO date with no Z, + or - after it.
    const t = ms === null ? "" : cell.trim();
    const naive = t.charCodeAt(4) === 45 && t.indexOf("+", 10) === -1 && t.indexOf("-", 10) === -1 && !/z$/i.test(t);
    return { text: cell, ms, alt: 0, kind: 0, naive };
  }
  const t = parseTimeIn(cell, c.options.dateFormat);
  if (t === null) return { text: cell, ms: null, alt: 0, kind: 0, naive: false };
  if (!t.naive || c.zone === null) return { text: cell, ms: t.ms, alt: 0, kind: 0, naive: t.naive };
  const r = c.zone.resolve(t.ms);
  if (r.kind === "single") return { text: cell, ms: r.ms, alt: 0, kind: 0, naive: true };
  if (r.kind === "ambiguous") return { text: cell, ms: r.earlier, alt: r.later, kind: 1, naive: true };
  return { text: cell, ms: r.shifted, alt: 0, kind: 2, naive: true };
}

/** The rows of the load that had no offset, and those in a repeated or skipped hour, as read so far. */
export function timeCounts(mapping: HeaderMapping): { naive: number; dst: DstCounts } | null {
  const c = compiledFor.get(mapping);
  return c ? { naive: c.naiveRows, dst: { ...c.dst } } : null;
}

const NO_PROBLEMS: RowProblem[] = [];
Object.freeze(NO_PROBLEMS);

export function parseRow(
  cells: readonly string[],
  headers: readonly string[],
  mapping: HeaderMapping,
  row: number,
  options: RowOptions = DEFAULT_ROW_OPTIONS,
): { parsed: ParsedRow | null; problems: RowProblem[] } {
  let c = compiledFor.get(mapping);
  if (!c) {
    c = compile(headers, mapping, options);
    compiledFor.set(mapping, c);
  }
  let problems: RowProblem[] | null = null;
  const problem = (column: string, value: string, reason: string) => {
    (problems ??= []).push({ row, column, value: value.length > 80 ? `${value.slice(0, 80)}…` : value, reason });
  };
  if (cells.length !== headers.length) {
    problem("", "", `has ${cells.length} field${cells.length === 1 ? "" : "s"}, the header has ${headers.length}`);
    return { parsed: null, problems: problems! };
  }
  let ts: number | null = null;
  const ids: Record<IdColumn, string | null> = { site_id: null, facility_id: null, cluster_id: null, zone_id: null };
  let intervalSeconds: number | null = null;
  let repeated: TimeCell | null = null;
  let timeHeader = "";

  for (const { index, header, role } of c.columns) {
    const cell = cells[index]!;
    if (cell.length > MAX_CELL) {
      problem(header, cell, `is ${cell.length} characters long (at most ${MAX_CELL})`);
      continue;
    }
    if (role.kind === "timestamp") {
      if (cell !== c.lastTimestamp.text) c.lastTimestamp = readTime(c, cell);
      const time = c.lastTimestamp;
      ts = time.ms;
      if (ts === null)
        problem(
          header,
          cell,
          MISSING.has(cell.trim().toLowerCase()) ? "is required" : FORMAT_REASON[c.options.dateFormat],
        );
      else {
        if (time.naive) c.naiveRows += 1;
        if (time.kind !== 0) {
          repeated = time;
          timeHeader = header;
        }
      }
    } else if (role.kind === "id") {
      let id = c.ids.get(cell);
      if (id === undefined) {
        const text = cell.trim();
        id = MISSING.has(text.toLowerCase()) ? "" : ID.test(text) ? text : null;
        if (c.ids.size < 100_000) c.ids.set(cell, id);
      }
      if (id === "") {
        if (role.name === "site_id") problem(header, cell, "is required");
      } else if (id === null) problem(header, cell, "must be 1–64 printable characters");
      else ids[role.name] = id;
    } else if (role.kind === "interval") {
      const text = cell.trim();
      if (MISSING.has(text.toLowerCase())) continue;
      const n = c.number(text);
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > 86_400 * 31)
        problem(header, cell, "must be a whole number of seconds between 1 and 2678400");
      else intervalSeconds = n;
    }
  }

  const values: (number | null)[] = new Array(c.signals.length);
  for (let i = 0; i < c.signals.length; i++) {
    const { index, header, signal, convert } = c.signals[i]!;
    const cell = cells[index]!;
    values[i] = null;
    if (cell.length > MAX_CELL) {
      problem(header, cell, `is ${cell.length} characters long (at most ${MAX_CELL})`);
      continue;
    }
    let n = c.number(cell);
    if (n === undefined) {
      const text = cell.trim();
      if (MISSING.has(text.toLowerCase())) continue;
      n = c.number(text);
      if (n === undefined) {
        problem(header, cell, c.options.decimal === "," ? "is not a number (with a decimal comma)" : "is not a number");
        continue;
      }
    }
    const v = convert(n);
    if (signal.int && !Number.isInteger(v)) problem(header, cell, "must be a whole number");
    else if (v < signal.min || v > signal.max)
      problem(
        header,
        cell,
        signal.max === Infinity ? `must be ≥ ${signal.min}` : `must be between ${signal.min} and ${signal.max}`,
      );
    values[i] = v === n ? v : Number(v.toPrecision(12));
  }
  if (repeated !== null && ts !== null)
    ts = resolveDst(c, repeated, ids, (reason) => problem(timeHeader, repeated!.text, reason));
  if (problems !== null || ts === null) return { parsed: null, problems: problems ?? [] };
  return { parsed: { ts, ids: canonical(c, ids), intervalSeconds, values }, problems: NO_PROBLEMS };
}

/** A timestamp in a repeated or skipped hour, read by the load's rule (and counted), or null with a problem. */
function resolveDst(
  c: Compiled,
  time: TimeCell,
  ids: Record<IdColumn, string | null>,
  refuse: (reason: string) => void,
): number | null {
  const zone = c.options.timezone;
  if (time.kind === 2) {
    c.dst.gap_rows += 1;
    if (c.options.dstGap === "shift_forward") {
      c.dst.gap_shifted += 1;
      return time.ms;
    }
    c.dst.gap_rejected += 1;
    refuse(
      `does not exist in ${zone} (the hour skipped by the change to summer time); dst_gap=shift_forward moves it on by the gap`,
    );
    return null;
  }
  c.dst.ambiguous_rows += 1;
  let later: boolean;
  switch (c.options.dstAmbiguous) {
    case "earlier":
      later = false;
      break;
    case "later":
      later = true;
      break;
    case "reject":
      c.dst.ambiguous_rejected += 1;
      refuse(`is ambiguous in ${zone} (the hour repeated by the change to winter time); choose dst_ambiguous`);
      return null;
    default: {
      // by_order: a series' first occurrence of the wall time is the earlier instant, the next ones the later.
      const key = `${ids.site_id}\u0000${ids.facility_id ?? ""}\u0000${ids.cluster_id ?? ""}\u0000${ids.zone_id ?? ""}`;
      let seen = c.seenRepeated.get(key);
      if (!seen) c.seenRepeated.set(key, (seen = new Set()));
      later = seen.has(time.ms!);
      seen.add(time.ms!);
    }
  }
  if (later) c.dst.ambiguous_later += 1;
  else c.dst.ambiguous_earlier += 1;
  return later ? time.alt : time.ms;
}
