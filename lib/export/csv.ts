// Streams rows as RFC 4180 CSV (papaparse quoting), pulled batch by batch so an export of any
// size never sits whole in memory. Cells are safe against formula injection (OWASP).
import Papa from "papaparse";

export type CsvCell = string | number | boolean | Date | null | undefined;
export type CsvColumn<T> = { header: string; value: (row: T) => CsvCell };

// A string cell starting with one of these would be run as a formula by a spreadsheet; papaparse
// prefixes it with a quote. Its own default pattern misses values containing a newline. Numbers
// stay numbers (a numeric column's -1.5 is not text): only text cells get the quote, here and in
// COPY exports (formulaSafeSql on text columns only).
const FORMULA_START = /^[=+\-@\t\r]/;
const BATCH_ROWS = 500;
const BOM = "\uFEFF";

export function toCsvStream<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  columns: CsvColumn<T>[],
  options: { bom?: boolean } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = toAsyncIterator(rows);
  const unparse = (data: CsvCell[][]) =>
    Papa.unparse(data, { newline: "\r\n", escapeFormulae: FORMULA_START, header: false });
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const header = unparse([columns.map((c) => c.header)]);
        controller.enqueue(encoder.encode(`${options.bom === false ? "" : BOM}${header}\r\n`));
        return;
      }
      const batch: CsvCell[][] = [];
      while (batch.length < BATCH_ROWS) {
        const next = await iterator.next();
        if (next.done) break;
        batch.push(columns.map((c) => normalizeCell(c.value(next.value))));
      }
      if (batch.length > 0) controller.enqueue(encoder.encode(`${unparse(batch)}\r\n`));
      if (batch.length < BATCH_ROWS) controller.close();
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

function normalizeCell(value: CsvCell): CsvCell {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    // Computed values carry float noise in their last digits (a sum reads 2928.0500000000006): a
    // double holds 15 significant decimal digits reliably, so that is what the file gets.
    return Number(value.toPrecision(15));
  }
  return value ?? "";
}

function toAsyncIterator<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in rows) return (rows as AsyncIterable<T>)[Symbol.asyncIterator]();
  const it = (rows as Iterable<T>)[Symbol.iterator]();
  return { next: async () => it.next(), return: async () => it.return?.() ?? { done: true, value: undefined } };
}
