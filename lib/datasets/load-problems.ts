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
