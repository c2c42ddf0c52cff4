import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { toCsvStream, type CsvColumn } from "./csv";
import { csvResponseHeaders } from "./download-headers";
import { renderTablePdf } from "./pdf-table";

async function collect(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number; bytes: Buffer }> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  const bytes = Buffer.concat(parts);
  return { text: bytes.toString("utf8"), chunks: parts.length, bytes };
}

type Row = { a: string; n: number | null; d?: Date };
const columns: CsvColumn<Row>[] = [
  { header: "text", value: (r) => r.a },
  { header: "number", value: (r) => r.n },
  { header: "when", value: (r) => r.d },
];

describe("CSV export", () => {
  it("quotes per RFC 4180 and parses back to the same cells", async () => {
    const rows: Row[] = [
      { a: 'comma, "quote"', n: 1.5 },
      { a: "line\nbreak", n: -3, d: new Date("2026-01-01T00:00:00Z") },
      { a: "CO₂ ≤ Σρ °C", n: null },
    ];
    const { text } = await collect(toCsvStream(rows, columns, { bom: false }));
    expect(text.startsWith("text,number,when\r\n")).toBe(true);
    const parsed = Papa.parse<string[]>(text.trim(), { newline: "\r\n" }).data;
    expect(parsed).toEqual([
      ["text", "number", "when"],
      ['comma, "quote"', "1.5", ""],
      ["line\nbreak", "-3", "2026-01-01T00:00:00.000Z"],
      ["CO₂ ≤ Σρ °C", "", ""],
    ]);
  });

  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["=1\nsecond line", "'=1\nsecond line"],
    ["safe", "safe"],
    ["a=b", "a=b"],
  ])("neutralises formula %j", async (cell, expected) => {
    const { text } = await collect(toCsvStream([{ a: cell, n: -5 }], columns, { bom: false }));
    const row = Papa.parse<string[]>(text.trim(), { newline: "\r\n" }).data[1]!;
    expect(row[0]).toBe(expected);
    expect(row[1]).toBe("-5");
  });

  it("writes computed numbers without float noise: 15 significant digits, the precision a double keeps", async () => {
    const values = [2928.0500000000006, 0.1 + 0.2, 1 / 3, -1234567.8900000001, 123456789012345, 5e-324, 1e21, 0];
    const { text } = await collect(
      toCsvStream(
        values.map((n) => ({ a: "x", n })),
        columns,
        { bom: false },
      ),
    );
    expect(
      text
        .trim()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[1]),
    ).toEqual(["2928.05", "0.3", "0.333333333333333", "-1234567.89", "123456789012345", "5e-324", "1e+21", "0"]);
    // Every value written reads back within half a unit of its 15th significant digit: a relative
    // error of at most 5 × 10^-15 (for a leading digit of 1), plus the parse back's own rounding.
    await fc.assert(
      fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), async (n) => {
        const { text: out } = await collect(toCsvStream([{ a: "x", n }], columns, { bom: false }));
        const back = Number(out.split("\r\n")[1]!.split(",")[1]);
        expect(Math.abs(back - n)).toBeLessThanOrEqual(Math.abs(n) * 6e-15);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it("starts with a BOM by default, for spreadsheet programs", async () => {
    const { text } = await collect(toCsvStream([], columns));
    expect(text.charCodeAt(0)).toBe(0xfeff);
  });

  it("round-trips arbitrary strings (less the injection prefix)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 20 }), async (cells) => {
        const rows = cells.map((a) => ({ a, n: 0 }));
        const { text } = await collect(toCsvStream(rows, columns, { bom: false }));
        const parsed = Papa.parse<string[]>(text.slice(0, -2), { newline: "\r\n" }).data.slice(1);
        expect(parsed.map((r) => r[0]!.replace(/^'(?=[=+\-@\t\r])/, ""))).toEqual(cells);
      }),
      { numRuns: 60 },
    );
  });

  it("streams in batches rather than one string", async () => {
    function* many() {
      for (let i = 0; i < 100_000; i++) yield { a: `row ${i}`, n: i };
    }
    const { chunks, text } = await collect(toCsvStream(many(), columns, { bom: false }));
    expect(chunks).toBeGreaterThan(100);
    expect(text.split("\r\n").length).toBe(100_002);
  });

  it("downloads as an attachment that is never cached", () => {
    const h = csvResponseHeaders("audit 2026/11.csv");
    expect(h["Content-Disposition"]).toBe(
      `attachment; filename="audit_2026_11.csv"; filename*=UTF-8''audit%202026%2F11.csv`,
    );
    expect(h["Cache-Control"]).toBe("no-store");
  });
});

describe("PDF export", () => {
  it("renders a multi-page table with an embedded Unicode font and closing lines", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({ a: `event ${i} CO₂ ≤ 5 %`, n: i }));
    const { bytes } = await collect(
      renderTablePdf({
        title: "Audit trail",
        meta: [["Filters", "none"]],
        columns: [
          { header: "Text", width: 3, value: (r: { a: string; n: number }) => r.a },
          { header: "N", width: 1, value: (r) => String(r.n), align: "right" },
        ],
        rows,
        footerLines: () => ["Chain verification: intact"],
        creationDate: new Date("2026-01-01T00:00:00Z"),
      }),
    );
    const raw = bytes.toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/DejaVuSans/);
    const pages = raw.match(/\/Type \/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(3);
  });

  it("is reproducible for the same input and creation date", async () => {
    const make = () =>
      collect(
        renderTablePdf({
          title: "T",
          meta: [],
          columns: [{ header: "A", width: 1, value: (r: string) => r }],
          rows: ["x", "y"],
          creationDate: new Date("2026-01-01T00:00:00Z"),
        }),
      );
    const [a, b] = await Promise.all([make(), make()]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });
});
