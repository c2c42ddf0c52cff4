// One CSV record → one observation's values, or the reasons it cannot be one. Values are checked
// with the contract's ranges; an empty cell (or NA, N/A, null) is a missing value, not an error.
// The per-header work (which column is what, its range and unit conversion) is compiled once per
// upload, and repeated timestamps and ids are parsed once: a file has millions of rows.
import type { ColumnRole, HeaderMapping, IdColumn, SignalColumn } from "./columns";

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

type Compiled = {
  columns: { index: number; header: string; role: ColumnRole }[];
  signals: { index: number; header: string; signal: SignalColumn; convert: (v: number) => number }[];
  lastTimestamp: { text: string; ms: number | null };
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

function compile(headers: readonly string[], mapping: HeaderMapping): Compiled {
  const columns: Compiled["columns"] = [];
  const signals: Compiled["signals"] = [];
  mapping.roles.forEach((role, index) => {
    if (!role) return;
    if (role.kind === "signal")
      signals.push({ index, header: headers[index]!, signal: role.signal, convert: role.convert });
    else columns.push({ index, header: headers[index]!, role });
  });
  return { columns, signals, lastTimestamp: { text: "", ms: null }, ids: new Map(), series: new Map(), seriesCount: 0 };
}

const NO_PROBLEMS: RowProblem[] = [];
Object.freeze(NO_PROBLEMS);

export function parseRow(
  cells: readonly string[],
  headers: readonly string[],
  mapping: HeaderMapping,
  row: number,
): { parsed: ParsedRow | null; problems: RowProblem[] } {
  let c = compiledFor.get(mapping);
  if (!c) {
    c = compile(headers, mapping);
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

  for (const { index, header, role } of c.columns) {
    const cell = cells[index]!;
    if (cell.length > MAX_CELL) {
      problem(header, cell, `is ${cell.length} characters long (at most ${MAX_CELL})`);
      continue;
    }
    if (role.kind === "timestamp") {
      if (cell !== c.lastTimestamp.text)
        c.lastTimestamp = { text: cell, ms: MISSING.has(cell.trim().toLowerCase()) ? null : parseTimestampCell(cell) };
      ts = c.lastTimestamp.ms;
      if (ts === null)
        problem(
          header,
          cell,
          MISSING.has(cell.trim().toLowerCase())
            ? "is required"
            : "is not an ISO 8601 timestamp (with an offset, or UTC when it has none) or epoch seconds/milliseconds",
        );
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
      const n = decimal(text);
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
    let n = decimal(cell);
    if (n === undefined) {
      const text = cell.trim();
      if (MISSING.has(text.toLowerCase())) continue;
      n = decimal(text);
      if (n === undefined) {
        problem(header, cell, "is not a number");
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
  if (problems !== null || ts === null) return { parsed: null, problems: problems ?? [] };
  return { parsed: { ts, ids: canonical(c, ids), intervalSeconds, values }, problems: NO_PROBLEMS };
}
