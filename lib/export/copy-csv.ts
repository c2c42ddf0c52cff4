// A query's rows as CSV written by PostgreSQL itself (COPY … TO STDOUT, CSV format: RFC 4180
// quoting, run by a data-access file: lib/kpi/queries/copy-csv.ts) and streamed through untouched
// but for the line ends and the leading times, with backpressure: memory stays flat and no row
// becomes a JavaScript object.
import "server-only";
import { Readable } from "node:stream";

const BOM = "\uFEFF";

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
 * `header` then every record of `records` (COPY's CSV output) as CSV: UTF-8 with a BOM
 * (spreadsheets then read it as UTF-8), CRLF line ends. With `leadingTimes` n, the records' first
 * n fields are epoch milliseconds (the query's bigint columns) to be shown as ISO 8601 UTC.
 */
export function copyCsvStream(
  records: AsyncIterable<Buffer>,
  header: readonly string[],
  options: { leadingTimes?: number } = {},
): ReadableStream<Uint8Array> {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(`${BOM}${header.join(",")}\r\n`);
    const rewrite = csvRecords(options.leadingTimes ?? 0);
    for await (const chunk of records) yield rewrite.push(chunk);
    yield rewrite.end();
  }
  return Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>;
}
