// Property-based fuzzing of the CSV pipeline an upload goes through (strict UTF-8 and size guard →
// papaparse records → header mapping → row checks → quality tracking), without the database: for
// arbitrary and adversarial bytes in arbitrary chunks it yields rows or structured problems, fails
// only with a CsvFormatError, and finishes in bounded time. Runs: FUZZ_RUNS × 10 (default 60).
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvText } from "@/tests/support/fuzz-csv";
import { mapHeader, type HeaderMapping } from "./columns";
import { csvRecords, CsvFormatError, utf8Guard } from "./csv-records";
import { QualityTracker } from "./quality";
import { parseRow } from "./rows";

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 6)) * 10;
const MAX_BYTES = 2 * 1024 * 1024;
const TIME_LIMIT_MS = 10_000;

type Outcome = { kind: "rows"; stored: number; problems: number; quoting: number } | { kind: "refused"; code: string };

/** What the upload pipeline makes of `bytes` sent in chunks cut at `cuts` (fractions of the length). */
async function parse(bytes: Uint8Array, cuts: number[]): Promise<Outcome> {
  const offsets = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const o of [...offsets, bytes.length]) {
    if (o > at) chunks.push(Buffer.from(bytes.subarray(at, o)));
    at = Math.max(at, o);
  }
  const text = Readable.from(chunks).pipe(utf8Guard(MAX_BYTES, { bytes: 0 }));
  text.on("error", () => undefined);
  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  let tracker: QualityTracker | null = null;
  let stored = 0;
  let problems = 0;
  let quoting = 0;
  let row = 1;
  try {
    for await (const record of csvRecords(text)) {
      if (headers === null) {
        headers = record.cells;
        mapping = mapHeader(headers);
        if (mapping.errors.length > 0) return { kind: "refused", code: "invalid_header" };
        tracker = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 7200 });
        continue;
      }
      row += 1;
      if (record.errors.some((e) => e.type === "Quotes")) quoting += 1;
      const result = parseRow(record.cells, headers, mapping!, row);
      expect(result.parsed === null).toBe(result.problems.length > 0 || result.parsed === null);
      for (const p of result.problems) {
        expect(p.row).toBe(row);
        expect(typeof p.reason).toBe("string");
        expect(p.value.length).toBeLessThanOrEqual(81);
      }
      problems += result.problems.length;
      if (result.parsed) stored += tracker!.add(result.parsed).length;
    }
  } catch (error) {
    if (error instanceof CsvFormatError) return { kind: "refused", code: error.code };
    throw error;
  }
  if (tracker) {
    stored += tracker.flush().ready.length;
    tracker.report((i) => mapping!.signals[i]!.name);
  }
  return { kind: "rows", stored, problems, quoting };
}

function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the CSV pipeline did not finish within ${TIME_LIMIT_MS} ms`)),
      TIME_LIMIT_MS,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

describe("CSV pipeline fuzzing", () => {
  it("answers rows or structured problems for arbitrary and adversarial files, in bounded time", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, cuts, async (sample, at) => {
        const outcome = await withinTime(parse(sample.bytes, at));
        if (outcome.kind === "refused")
          expect(["csv_not_utf8", "csv_line_too_long", "csv_too_large", "csv_empty", "invalid_header"]).toContain(
            outcome.code,
          );
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("reads the same records whatever the chunking (papaparse once guessed line breaks from its first chunk)", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, cuts, async (sample, at) => {
        const whole = await withinTime(parse(sample.bytes, []));
        const chunked = await withinTime(parse(sample.bytes, at));
        // A refusal may name another first problem (a bad header is met before a bad byte after
        // it arrives), but the same bytes are refused or read alike.
        expect(chunked.kind).toBe(whole.kind);
        if (whole.kind === "rows") expect(chunked).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("regression: a CRLF header then LF rows reads alike when the first chunk holds one byte", async () => {
    const bytes = new Uint8Array(
      Buffer.from('"timestamp_utc","hotspot_rack_count",site_id\r\n0\n2026-06-01T00:00:00Z'),
    );
    const whole = await parse(bytes, []);
    expect(whole).toEqual({ kind: "rows", stored: 0, problems: 2, quoting: 0 });
    expect(await parse(bytes, [1 / bytes.length])).toEqual(whole);
  });

  it.each([
    [
      "a BOM then CRLF rows",
      "\ufefftimestamp_utc,site_id,it_load_kw\r\n2026-06-01T00:00:00Z,mad1,1\r\n2026-06-01T00:15:00Z,mad1,2\r\n",
    ],
    [
      "a quote never closed",
      'timestamp_utc,site_id,it_load_kw\n2026-06-01T00:00:00Z,"mad1,1\n2026-06-01T00:15:00Z,mad1,2\n',
    ],
    ["bare CRs", "timestamp_utc,site_id,it_load_kw\r2026-06-01T00:00:00Z,mad1,1\r2026-06-01T00:15:00Z,mad1,2\r"],
    ["formula cells", "timestamp_utc,site_id,it_load_kw\n2026-06-01T00:00:00Z,=cmd|' /C calc'!A0,@SUM(1)\n"],
    [
      "1e400, -0 and 2^53+1",
      "timestamp_utc,site_id,it_load_kw,facility_power_kw\n2026-06-01T00:00:00Z,mad1,1e400,-0\n9007199254740993,mad1,1,2\n",
    ],
    [
      "prototype keys as headers",
      "timestamp_utc,site_id,__proto__,constructor,it_load_kw\n2026-06-01T00:00:00Z,mad1,1,2,3\n",
    ],
  ])("regression: %s", async (_label, text) => {
    const outcome = await withinTime(parse(new Uint8Array(Buffer.from(text)), [0.3, 0.7]));
    expect(["rows", "refused"]).toContain(outcome.kind);
  });
});
