// What a file's first lines say about how to read it: the delimiter (from the header line), the
// decimal separator and the date format (from the first rows). Ambiguity is refused, never guessed:
// a header with as many ';' as ',' or dates whose day and month never exceed 12 ask the user.
import type { DateFormat, Decimal, Delimiter } from "./import-options";
import { parseTimeIn } from "./rows";

/** Rows read before deciding the decimal separator and the date format. */
export const DETECT_ROWS = 200;

export type Detection<T> = { value: T; problem: null } | { value: null; problem: string };

/** The delimiter of a header line: the candidate found most often outside quotes; a tie is refused. */
export function detectDelimiter(headerLine: string): Detection<Delimiter> {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, tab: 0, "|": 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      if (ch === ",") counts[","] += 1;
      else if (ch === ";") counts[";"] += 1;
      else if (ch === "\t") counts.tab += 1;
      else if (ch === "|") counts["|"] += 1;
    }
  }
  const ranked = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1]);
  if (ranked[0]![1] === 0) return { value: ",", problem: null };
  if (ranked[0]![1] === ranked[1]![1])
    return {
      value: null,
      problem: `the header line has as many "${ranked[0]![0]}" as "${ranked[1]![0]}"; choose the delimiter`,
    };
  return { value: ranked[0]![0], problem: null };
}

const COMMA_NUMBER = /^[+-]?\d+,\d+$/;
const POINT_NUMBER = /^[+-]?\d*\.\d+$/;

/** The decimal separator of the value cells: ',' when some are written "12,5" and none "12.5". */
export function detectDecimal(rows: readonly (readonly string[])[], skip: ReadonlySet<number>): Detection<Decimal> {
  let comma = 0;
  let point = 0;
  for (const cells of rows)
    cells.forEach((cell, i) => {
      if (skip.has(i)) return;
      const t = cell.trim();
      if (COMMA_NUMBER.test(t)) comma += 1;
      else if (POINT_NUMBER.test(t)) point += 1;
    });
  if (comma > 0 && point > 0)
    return {
      value: null,
      problem: `the first rows have numbers written with a decimal comma (${comma}) and with a point (${point}); choose the decimal separator`,
    };
  return { value: comma > 0 ? "," : ".", problem: null };
}

const SLASHED: DateFormat[] = ["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"];

/**
 * The date format of the timestamp cells: ISO when every one reads as ISO (or epoch), else the one
 * slashed format they all fit; both day-first and month-first fitting (no day above 12 yet) is
 * refused. None fitting answers ISO: the rows then name their problems.
 */
export function detectDateFormat(cells: readonly string[]): Detection<DateFormat> {
  const values = cells.map((c) => c.trim()).filter((c) => c !== "" && !/^(na|n\/a|null|none|-)$/i.test(c));
  if (values.length === 0 || values.every((v) => parseTimeIn(v, "iso") !== null))
    return { value: "iso", problem: null };
  const fitting = SLASHED.filter((f) => values.every((v) => parseTimeIn(v, f) !== null));
  if (fitting.length === 1) return { value: fitting[0]!, problem: null };
  if (fitting.length > 1)
    return {
      value: null,
      problem: `the timestamps of the first ${values.length} rows read as ${fitting.join(" and as ")} (no day above 12); choose the date format`,
    };
  return { value: "iso", problem: null };
}
