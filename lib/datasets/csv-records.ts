// Bytes → CSV records, streamed: strict UTF-8 (a BOM is dropped), bounded line length and size,
// line breaks unified, papaparse for the quoting rules, and backpressure from the consumer back to
// the source.
import { Readable, Transform } from "node:stream";
import Papa from "papaparse";

export class CsvFormatError extends Error {
  constructor(
    readonly code: "csv_empty" | "csv_not_utf8" | "csv_line_too_long" | "csv_too_large",
    message: string,
    readonly row?: number,
  ) {
    super(message);
  }
}

export const MAX_LINE_BYTES = 1024 * 1024;

export type ByteTap = { bytes: number; onChunk?: (chunk: Buffer) => void };

/**
 * Decodes UTF-8 strictly, enforces the size and line limits and turns CRLF and lone CR into LF;
 * counts bytes into `tap`. Papaparse would otherwise guess the line break from whatever text its
 * first chunk holds, so the same bytes, chunked differently by the network, could be read as
 * different rows.
 */
export function utf8Guard(maxBytes: number, tap: ByteTap): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let sinceNewline = 0;
  let line = 1;
  let endsWithCr = false;
  const unifyLineBreaks = (text: string) => {
    const rest = endsWithCr && text.startsWith("\n") ? text.slice(1) : text;
    if (text.length > 0) endsWithCr = rest.endsWith("\r");
    return rest.replace(/\r\n?/g, "\n");
  };
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      tap.bytes += chunk.length;
      tap.onChunk?.(chunk);
      if (tap.bytes > maxBytes)
        return callback(new CsvFormatError("csv_too_large", `The file is larger than ${maxBytes} bytes`));
      const tooLong = () =>
        new CsvFormatError(
          "csv_line_too_long",
          `Line ${line} is longer than ${MAX_LINE_BYTES} bytes (a field that large is not a measurement)`,
          line,
        );
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
        // Every line of the chunk, not only its last: the limit must not depend on how it was cut.
        if (sinceNewline + (i - start) > MAX_LINE_BYTES) return callback(tooLong());
        line += 1;
        sinceNewline = 0;
        start = i + 1;
      }
      sinceNewline += chunk.length - start;
      if (sinceNewline > MAX_LINE_BYTES) return callback(tooLong());
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        return callback(
          new CsvFormatError(
            "csv_not_utf8",
            `The file is not UTF-8 text (an invalid byte sequence near byte ${tap.bytes - chunk.length}); save it as "CSV UTF-8"`,
          ),
        );
      }
      callback(null, unifyLineBreaks(text));
    },
    flush(callback) {
      try {
        const rest = decoder.decode();
        callback(null, unifyLineBreaks(rest));
      } catch {
        callback(
          new CsvFormatError("csv_not_utf8", "The file is not UTF-8 text (it ends inside a multi-byte character)"),
        );
      }
    },
  });
}

export type CsvRecord = { cells: string[]; errors: Papa.ParseError[] };

/** The records of a CSV text stream, comma-delimited unless told, blank lines skipped. */
export async function* csvRecords(input: Readable, delimiter = ","): AsyncGenerator<CsvRecord> {
  for await (const batch of csvRecordBatches(input, delimiter)) yield* batch;
}

/**
 * The first line of a text stream (to detect its delimiter), and a stream of the whole text again:
 * the chunks read to find it, then the rest, with the source's errors and its destruction passed on.
 */
export async function peekFirstLine(input: Readable): Promise<{ line: string; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: (Buffer | string)[] = [];
  let text = "";
  let ended = false;
  while (text.indexOf("\n") === -1 && text.length <= MAX_LINE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    text += typeof next.value === "string" ? next.value : next.value.toString("utf8");
  }
  const newline = text.indexOf("\n");
  const line = (newline === -1 ? text : text.slice(0, newline)).replace(/^\uFEFF/, "");
  async function* whole() {
    yield* head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const stream = Readable.from(whole(), { objectMode: false });
  stream.on("close", () => void iterator.return?.());
  return { line, stream };
}

// Records queued before the parser (and the stream) pause; a batch is what queued since the
// consumer last asked. One await per batch rather than per record: a file has millions of rows.
const PAUSE_AT = 4_096;

/** The records of a CSV text stream in batches (each non-empty, in order), as `csvRecords`. */
export async function* csvRecordBatches(input: Readable, delimiter = ","): AsyncGenerator<CsvRecord[]> {
  // The source may have failed (e.g. not UTF-8 in its first chunk) before parsing starts.
  if (input.errored) throw input.errored;
  if (input.destroyed) throw new Error("the upload stream was closed early");
  let queue: CsvRecord[] = [];
  let parser: Papa.Parser | null = null;
  let paused = false;
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  input.on("error", (error) => {
    failure ??= error;
    done = true;
    signal();
  });
  Papa.parse<string[]>(input as unknown as File, {
    delimiter,
    newline: "\n",
    skipEmptyLines: true,
    step(results, p) {
      parser = p;
      queue.push({ cells: results.data, errors: results.errors });
      if (queue.length >= PAUSE_AT && !paused) {
        // The parser handle's pause stops parsing only; the stream must stop too, or papaparse
        // keeps queueing every chunk the client sends.
        paused = true;
        p.pause();
        input.pause();
      }
      if (wake) signal();
    },
    complete() {
      done = true;
      signal();
    },
    error(error: Error) {
      failure ??= error;
      done = true;
      signal();
    },
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        if (paused) {
          paused = false;
          input.resume();
          (parser as Papa.Parser | null)?.resume();
        }
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (!done) {
      (parser as Papa.Parser | null)?.abort();
      input.destroy();
    }
  }
}
