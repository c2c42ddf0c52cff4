// A query's rows as PostgreSQL writes them with COPY … TO STDOUT (CSV format: RFC 4180 quoting),
// handed on chunk by chunk with backpressure: memory stays flat and no row becomes a JavaScript
// object (lib/export/copy-csv.ts turns the records into the download). Cells must already be safe
// against formula injection (see formulaSafeSql). COPY takes no bind parameters, so values are
// inlined as escaped literals.
import "server-only";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pgPool } from "@/lib/db/pg-pool";

/**
 * A text expression with a quote prepended when it starts like a formula (=, +, -, @, tab, CR), as
 * OWASP advises. ascii() reads the first character's code without copying it (cheaper than left()).
 */
export function formulaSafeSql(text: string): string {
  return `(case when ascii(${text}) in (61, 43, 45, 64, 9, 13) then '''' || ${text} else ${text} end)`;
}

/** One bind value as an SQL literal (only the kinds the dashboard's filters produce). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return `${pg.escapeLiteral(value.toISOString())}::timestamptz`;
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value) && value.every((v) => typeof v === "string"))
    return `array[${value.map((v) => pg.escapeLiteral(v)).join(", ")}]::text[]`;
  throw new Error(`cannot inline a ${typeof value} into COPY`);
}

/** The statement with its $n placeholders replaced by literals. */
export function inlineSql(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`no value for $${n}`);
    return sqlLiteral(values[i]);
  });
}

/**
 * Every row of the query (text with $n placeholders, and their values) as COPY's CSV records, LF
 * ended, read in a read-only transaction of its own. The statement is built at once (a value that
 * cannot be inlined throws here); the connection is taken when the first chunk is read.
 */
export function copyCsvRows(query: { text: string; values: readonly unknown[] }): AsyncIterable<Buffer> {
  const sql = `copy (${inlineSql(query.text, query.values)}) to stdout with (format csv)`;
  async function* chunks(): AsyncGenerator<Buffer> {
    const client = await pgPool().connect();
    let finished = false;
    try {
      await client.query("begin read only");
      // Rows in index order stream at once; a sort would first read and sort the whole period
      // (the planner prefers that for a few percent of a large table). Unavoidable sorts still run.
      await client.query("set local enable_sort = off");
      for await (const chunk of client.query(copyTo(sql))) yield chunk as Buffer;
      await client.query("commit");
      finished = true;
    } finally {
      // A connection left in the middle of a COPY (the download was cancelled) is discarded.
      client.release(finished ? undefined : true);
    }
  }
  return chunks();
}
