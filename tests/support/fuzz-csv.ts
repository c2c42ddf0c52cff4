// CSV files for fuzzing the dataset parser: a plausible header and rows, then damaged — hostile
// cells, stray quotes, CR/LF mixes, other delimiters, BOMs, bytes that are not UTF-8, huge fields.
import fc from "fast-check";
import { RAW_NON_JSON, RAW_NUMBERS, WEIRD_STRINGS } from "./fuzz-inputs";

const HEADERS = [
  "timestamp_utc",
  "site_id",
  "cluster_id",
  "zone_id",
  "interval_seconds",
  "it_load_kw",
  "facility_power_kw",
  "Outdoor temp (°F)",
  "Facility Power [MW]",
  "ups_efficiency_pct",
  "hotspot_rack_count",
  "energy price usd per kwh",
];
const HOSTILE_HEADERS = [
  "",
  "\ufefftimestamp_utc",
  "__proto__",
  "constructor",
  "prototype",
  '=HYPERLINK("x")',
  "site_id",
  "it_load_kw",
  "a;b;c",
  "x\ty",
  "\u0000",
  "😀",
  "\u202esite_id",
  "IT load (furlongs)",
];

const goodCell = fc.oneof(
  fc.constantFrom(
    "2026-06-01T00:00:00Z",
    "2026-06-01T00:15:00Z",
    "2026-06-01 00:30",
    "1780272000",
    "1780272000000",
    "2026-06-01T02:00:00+02:00",
  ),
  fc.constantFrom("mad1", "c01", "z1", "900", "812.4", "1130.2", "0", "", "NA", "n/a", "null", "-"),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
);

const hostileCell = fc.oneof(
  fc.constantFrom(...WEIRD_STRINGS, ...RAW_NUMBERS, ...RAW_NON_JSON),
  fc.constantFrom(
    "=1+1",
    "+1",
    "-1",
    "@A1",
    "\t=1",
    '"',
    '""',
    'a"b',
    '"unterminated',
    "x\ny",
    "x\r\ny",
    "\r",
    " 812.4 ",
    "1,5",
    "1.2.3",
    "1e5",
    "-0.0",
  ),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(1025, 70_000).map((n) => "9".repeat(n)),
);

const cell = fc.oneof({ weight: 4, arbitrary: goodCell }, { weight: 1, arbitrary: hostileCell });

function quote(value: string, how: number): string {
  if (how === 1) return `"${value.replace(/"/g, '""')}"`;
  if (how === 2) return `"${value}`; // a quote opened and never closed
  if (how === 3) return `${value}"x`;
  return value;
}

export type CsvSample = { bytes: Uint8Array<ArrayBuffer>; label: string };

const structured: fc.Arbitrary<CsvSample> = fc
  .record({
    header: fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...HEADERS) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_HEADERS) },
      ),
      { minLength: 0, maxLength: 8 },
    ),
    rows: fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 12 }),
    quoting: fc.array(fc.nat(7), { minLength: 16, maxLength: 16 }),
    newline: fc.constantFrom("\n", "\r\n", "\r", "\n\n", "\r\r\n"),
    mixedNewlines: fc.boolean(),
    delimiter: fc.constantFrom(",", ",", ",", ";", "\t", "|"),
    bom: fc.constantFrom("", "", "\ufeff", "\ufeff\ufeff"),
    damage: fc.constantFrom(
      "none",
      "none",
      "none",
      "invalid byte",
      "truncated char",
      "overlong",
      "utf16",
      "nul bytes",
      "huge line",
    ),
    trailing: fc.constantFrom("", "\n", "\r\n", ",", '"'),
  })
  .map(({ header, rows, quoting, newline, mixedNewlines, delimiter, bom, damage, trailing }) => {
    let q = 0;
    // Mostly plain or properly quoted; now and then a quote never closed, or text after one.
    const how = (n: number) => (n <= 3 ? 0 : n <= 5 ? 1 : n === 6 ? 2 : 3);
    const line = (cells: string[]) => cells.map((c) => quote(c, how(quoting[q++ % quoting.length]!))).join(delimiter);
    const lines = [line(header), ...rows.map(line)];
    const text = `${bom}${lines.map((l, i) => (i === 0 ? l : `${mixedNewlines && i % 2 ? "\r\n" : newline}${l}`)).join("")}${trailing}`;
    let bytes = Buffer.from(text, "utf8");
    const at = Math.floor(bytes.length / 2);
    if (damage === "invalid byte")
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
    if (damage === "truncated char") bytes = Buffer.concat([bytes, Buffer.from([0xe2, 0x82])]);
    if (damage === "overlong")
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc0, 0xaf]), bytes.subarray(at)]);
    if (damage === "utf16") bytes = Buffer.from(text, "utf16le");
    if (damage === "nul bytes")
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0, 0, 0]), bytes.subarray(at)]);
    if (damage === "huge line")
      bytes = Buffer.concat([bytes, Buffer.from(`\n2026-06-01T00:00:00Z,mad1,${"7".repeat(1024 * 1024 + 10)}\n`)]);
    return {
      bytes: new Uint8Array(bytes),
      label: `csv: ${header.length} columns, ${rows.length} rows, ${JSON.stringify(newline)}, ${JSON.stringify(delimiter)}, damage ${damage}`,
    };
  });

/** A CSV upload's bytes: mostly structured and damaged, sometimes random bytes or text. */
export const csvText: fc.Arbitrary<CsvSample> = fc.oneof(
  { weight: 6, arbitrary: structured },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => ({ bytes: new Uint8Array(b), label: "random bytes" })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: "binary", maxLength: 400 })
      .map((s) => ({ bytes: new Uint8Array(Buffer.from(s, "utf8")), label: "random text" })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        "",
        "\ufeff",
        "\n\n\n",
        "\r",
        '"',
        "timestamp_utc,site_id,it_load_kw",
        "timestamp_utc,site_id,it_load_kw\n",
      )
      .map((s) => ({ bytes: new Uint8Array(Buffer.from(s)), label: `fixed ${JSON.stringify(s)}` })),
  },
);
