// How a load names what is wrong with a file: RFC 9457 problems with a JSON Pointer per row and column.
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { CsvFormatError } from "./csv-records";
import type { RowProblem } from "./rows";

export const MAX_REPORTED_PROBLEMS = 1_000;

export function toFieldProblem(p: RowProblem): FieldProblem {
  return {
    pointer: `/rows/${p.row}${p.column ? `/${p.column.replace(/~/g, "~0").replace(/\//g, "~1")}` : ""}`,
    row: p.row,
    column: p.column,
    value: p.value,
    detail: p.reason,
    code: "invalid_value",
  };
}

export function formatError(code: string, detail: string, extra: Partial<FieldProblem> = {}): AppError {
  return new AppError("validation_failed", detail, {
    errors: [{ pointer: extra.row ? `/rows/${extra.row}` : "", detail, code, ...extra }],
  });
}

export function fromFormatError(error: CsvFormatError): AppError {
  if (error.code === "csv_too_large") return new AppError("payload_too_large", error.message);
  return formatError(error.code, error.message, error.row ? { row: error.row } : {});
}

/** Problems of one kind (same column, same reason): how many, and the first rows and values. */
export type ProblemGroup = { column: string; detail: string; count: number; rows: number[]; values: string[] };

const GROUP_EXAMPLES = 3;
const MAX_GROUPS = 100;

/**
 * Counts every problem of a file by kind, so a file with one systematic fault (every timestamp
 * day-first) reads as one line with a count, not a thousand identical ones. Bounded: at most
 * MAX_GROUPS kinds, three examples each.
 */
export class ProblemGroups {
  private readonly groups = new Map<string, ProblemGroup>();
  add(p: RowProblem): void {
    const key = `${p.column}\u0000${p.reason}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) return;
      g = { column: p.column, detail: p.reason, count: 0, rows: [], values: [] };
      this.groups.set(key, g);
    }
    g.count += 1;
    if (g.rows.length < GROUP_EXAMPLES) g.rows.push(p.row);
    if (g.values.length < GROUP_EXAMPLES && !g.values.includes(p.value)) g.values.push(p.value);
  }
  /** The kinds found, most frequent first. */
  list(): ProblemGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.rows[0]! - b.rows[0]!);
  }
}
