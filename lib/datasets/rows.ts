// One CSV record → one observation's values, or the reasons it cannot be one. Values are checked
// with the contract's ranges; an empty cell (or NA, N/A, null) is a missing value, not an error.
import { numberFromString } from "@/lib/mass/values";
import type { ColumnRole, HeaderMapping, IdColumn } from "./columns";

export type RowProblem = { row: number; column: string; value: string; reason: string };

export type ParsedRow = {
  ts: number;
  ids: Record<IdColumn, string | null>;
  intervalSeconds: number | null;
  /** Aligned with `mapping.signals`. */
  values: (number | null)[];
};

const MISSING = new Set(["", "na", "n/a", "null", "none", "-"]);
const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MAX_CELL = 1024;
// Printable, no control characters; 1–64 characters like the contract's asset ids.
const ID = /^[^\p{Cc}]{1,64}$/u;

/** Epoch milliseconds of a timestamp cell: ISO 8601 (a missing zone means UTC), or epoch s/ms. */
export function parseTimestampCell(text: string): number | null {
  const t = text.trim();
  const m = ISO.exec(t);
  if (m) {
    const zone = m[3] ? (m[3].toUpperCase() === "Z" ? "Z" : m[3].length === 3 ? `${m[3]}:00` : m[3].includes(":") ? m[3] : `${m[3].slice(0, 3)}:${m[3].slice(3)}`) : "Z";
    const ms = Date.parse(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}${zone}`);
    return Number.isFinite(ms) ? ms : null;
  }
  const n = numberFromString(t);
  if (n === undefined || n < 0) return null;
  const ms = n > 1e11 ? n : n * 1000;
  return Number.isFinite(ms) && ms < 8.64e15 ? Math.round(ms) : null;
}

export function parseRow(cells: readonly string[], headers: readonly string[], mapping: HeaderMapping, row: number): { parsed: ParsedRow | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (column: string, value: string, reason: string) => problems.push({ row, column, value: value.length > 80 ? `${value.slice(0, 80)}…` : value, reason });
  if (cells.length !== headers.length) {
    problem("", "", `has ${cells.length} field${cells.length === 1 ? "" : "s"}, the header has ${headers.length}`);
    return { parsed: null, problems };
  }
  let ts: number | null = null;
  const ids: Record<IdColumn, string | null> = { site_id: null, facility_id: null, cluster_id: null, zone_id: null };
  let intervalSeconds: number | null = null;
  const values: (number | null)[] = [];
  cells.forEach((cell, i) => {
    const role: ColumnRole | null = mapping.roles[i] ?? null;
    if (!role) return;
    const column = headers[i]!;
    if (cell.length > MAX_CELL) {
      problem(column, cell, `is ${cell.length} characters long (at most ${MAX_CELL})`);
      if (role.kind === "signal") values.push(null);
      return;
    }
    const text = cell.trim();
    const missing = MISSING.has(text.toLowerCase());
    switch (role.kind) {
      case "timestamp":
        if (missing) problem(column, cell, "is required");
        else if ((ts = parseTimestampCell(text)) === null) problem(column, cell, "is not an ISO 8601 timestamp (with an offset, or UTC when it has none) or epoch seconds/milliseconds");
        break;
      case "id":
        if (missing) {
          if (role.name === "site_id") problem(column, cell, "is required");
        } else if (!ID.test(text)) problem(column, cell, "must be 1–64 printable characters");
        else ids[role.name] = text;
        break;
      case "interval": {
        if (missing) break;
        const n = numberFromString(text);
        if (n === undefined || !Number.isInteger(n) || n < 1 || n > 86_400 * 31) problem(column, cell, "must be a whole number of seconds between 1 and 2678400");
        else intervalSeconds = n;
        break;
      }
      case "signal": {
        if (missing) {
          values.push(null);
          break;
        }
        const n = numberFromString(text);
        if (n === undefined) {
          problem(column, cell, "is not a number");
          values.push(null);
          break;
        }
        const v = role.convert(n);
        const { min, max, int } = role.signal;
        if (int && !Number.isInteger(v)) problem(column, cell, "must be a whole number");
        else if (v < min || v > max) problem(column, cell, max === Infinity ? `must be ≥ ${min}` : `must be between ${min} and ${max}`);
        values.push(Number.isFinite(v) ? Number(v.toPrecision(12)) : null);
        break;
      }
    }
  });
  if (problems.length > 0 || ts === null) return { parsed: null, problems };
  return { parsed: { ts, ids, intervalSeconds, values }, problems };
}
