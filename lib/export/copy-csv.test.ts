import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRecords } from "./copy-csv";

/** The records rewriter fed `text` cut at `cuts`. */
function rewrite(text: string, cuts: number[], times: number): string {
  const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
  const records = csvRecords(times);
  const parts = bounds.slice(1).map((end, i) => records.push(Buffer.from(text.slice(bounds[i], end))));
  return Buffer.concat([...parts, records.end()]).toString();
}

describe("COPY CSV helpers", () => {
  it("turns record ends into CRLF, keeps line breaks inside quoted cells, and formats the leading times, whatever the chunks", () => {
    const text =
      '1775001600000,1775002500000,a,b\n1775001600000,1775002500000,"x\ny",2\n-1000,0,"say ""hi""\n",3\n1775002500123,1775003400000,plain,\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
        const out = rewrite(text, cuts, 2);
        expect(Papa.parse<string[]>(out, { newline: "\r\n", skipEmptyLines: true }).data).toEqual([
          ["2026-04-01T00:00:00.000Z", "2026-04-01T00:15:00.000Z", "a", "b"],
          ["2026-04-01T00:00:00.000Z", "2026-04-01T00:15:00.000Z", "x\ny", "2"],
          ["1969-12-31T23:59:59.000Z", "1970-01-01T00:00:00.000Z", 'say "hi"\n', "3"],
          ["2026-04-01T00:15:00.123Z", "2026-04-01T00:30:00.000Z", "plain", ""],
        ]);
        expect(out.split("\r\n")).toHaveLength(5);
        expect(
          rewrite(
            'a,"b\nc"\nd,e\n',
            cuts.filter((c) => c <= 12),
            0,
          ),
        ).toBe('a,"b\nc"\r\nd,e\r\n');
      }),
    );
  });
});
