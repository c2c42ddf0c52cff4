// A query's rows as CSV written by PostgreSQL itself (COPY … TO STDOUT, CSV format: RFC 4180
// quoting) and streamed through untouched but for the line ends, with backpressure: memory stays
// flat and no row becomes a JavaScript object. Cells must already be safe against formula
// injection (see formulaSafeSql). COPY takes no bind parameters, so values are inlined as
// escaped literals.
import "server-only";
import { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pgPool } from "@/lib/db/pg-pool";

const BOM = "\uFEFF";

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
 * COPY's CSV records as served: LF record ends become CRLF (line breaks inside quoted cells stay),
 * and the first `times` fields, epoch milliseconds, become ISO 8601 UTC text. Formatting them here
 * is cheaper than to_char per cell in the database, since consecutive rows mostly share a
 * timestamp (a one-entry cache per field). Records may span chunks: an incomplete one waits.
 */
export function csvRecords(times: number): { push: (chunk: Buffer) => Buffer; end: () => Buffer } {
  let carry: Buffer | null = null;
  const cache = Array.from({ length: times }, () => ({ ms: NaN, iso: Buffer.alloc(0) }));
  const iso = (field: number, ms: number): Buffer => {
    const c = cache[field]!;
    if (c.ms !== ms) {
      c.ms = ms;
      c.iso = Buffer.from(new Date(ms).toISOString(), "latin1");
    }
    return c.iso;
  };
  /** Index of the LF ending the record that starts at `from`, or -1 if it is not complete yet. */
  const recordEnd = (buf: Buffer, from: number): number => {
    const lf = buf.indexOf(0x0a, from);
    if (lf === -1) return -1;
    const quote = buf.indexOf(0x22, from);
    if (quote === -1 || quote > lf) return lf;
    let quoted = false;
    for (let i = from; i < buf.length; i++) {
      const b = buf[i];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) return i;
    }
    return -1;
  };
  return {
    push(chunk) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const ends: number[] = [];
      let start = 0;
      for (let end = recordEnd(buf, 0); end !== -1; end = recordEnd(buf, start)) {
        ends.push(end);
        start = end + 1;
      }
      carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
      // Each time field grows to at most 27 characters (an extended year); each record gains a CR.
      const out = Buffer.allocUnsafe(start + ends.length * (times * 27 + 1));
      let o = 0;
      let from = 0;
      for (const end of ends) {
        let i = from;
        for (let f = 0; f < times; f++) {
          let ms = 0;
          let sign = 1;
          if (buf[i] === 0x2d) {
            sign = -1;
            i++;
          }
          for (let b = buf[i]!; b >= 0x30 && b <= 0x39; b = buf[++i]!) ms = ms * 10 + (b - 0x30);
          if (f > 0) out[o++] = 0x2c;
          o += iso(f, sign * ms).copy(out, o);
          if (f < times - 1) i++; // past the comma
        }
        o += buf.copy(out, o, i, end);
        out[o++] = 0x0d;
        out[o++] = 0x0a;
        from = end + 1;
      }
      return out.subarray(0, o);
    },
    end() {
      const rest = carry ?? Buffer.alloc(0);
      carry = null;
      return rest;
    },
  };
}

/**
 * `header` then every row of the query (text with $n placeholders, and their values) as CSV:
 * UTF-8 with a BOM (spreadsheets then read it as UTF-8), CRLF line ends. With `leadingTimes` n,
 * the query's first n columns are epoch milliseconds (bigint) to be shown as ISO 8601 UTC.
 */
export function copyCsvStream(
  query: { text: string; values: readonly unknown[] },
  header: readonly string[],
  options: { leadingTimes?: number } = {},
): ReadableStream<Uint8Array> {
  const sql = `copy (${inlineSql(query.text, query.values)}) to stdout with (format csv)`;
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`${BOM}${header.join(",")}\r\n`);
    const client = await pgPool().connect();
    let finished = false;
    try {
      await client.query("begin read only");
      // Rows in index order stream at once; a sort would first read and sort the whole period
      // (the planner prefers that for a few percent of a large table). Unavoidable sorts still run.
      await client.query("set local enable_sort = off");
      const records = csvRecords(options.leadingTimes ?? 0);
      for await (const chunk of client.query(copyTo(sql))) yield records.push(chunk as Buffer);
      yield records.end();
      await client.query("commit");
      finished = true;
    } finally {
      // A connection left in the middle of a COPY (the download was cancelled) is discarded.
      client.release(finished ? undefined : true);
    }
  }
  return Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>;
}
