// PDF layout: round ticks, the unit label clear of the top tick, table headers never broken inside
// a word (read back from the rendered PDF), and the scorecard's headers whole.
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pdfText, streamBytes } from "@/tests/support/pdf-text";
import { buildScorecard } from "@/lib/verification/scorecard-math";
import { renderScorecardPdf } from "@/lib/verification/scorecard-pdf";
import { chartLayout, niceTicks } from "./pdf-chart";
import { fitColumnWidths } from "./pdf-columns";
import { renderTablePdf } from "./pdf-table";

describe("niceTicks", () => {
  it("covers the range with steps of 1, 2 or 5 × 10ⁿ", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        async (lo, span) => {
          const t = niceTicks(lo, lo + span);
          // Within a billionth of a step: a bound that close to a tick counts as on it.
          const eps = 1e-8 * t.step + 1e-12 * Math.abs(lo);
          expect(t.lo).toBeLessThanOrEqual(lo + eps);
          expect(t.hi).toBeGreaterThanOrEqual(lo + span - eps);
          const mantissa = Number((t.step / 10 ** Math.floor(Math.log10(t.step))).toFixed(6));
          expect([1, 2, 5, 10]).toContain(mantissa);
          expect(t.ticks.length).toBeGreaterThanOrEqual(2);
          expect(t.ticks.length).toBeLessThanOrEqual(12);
        },
      ),
    );
  });

  it("gives round values for a typical kWh range", () => {
    expect(niceTicks(1234, 4821).ticks).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(niceTicks(1.08, 1.63).ticks).toEqual([1, 1.2, 1.4, 1.6, 1.8]);
  });
});

describe("chartLayout", () => {
  it("puts the unit label wholly above the top tick's label", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 700, noNaN: true }),
        fc.double({ min: 60, max: 300, noNaN: true }),
        async (top, plotHeight) => {
          const l = chartLayout({ x: 40, top, width: 515, plotHeight, axisWidth: 40 });
          const topTick = l.tickLabel(l.plot.y);
          expect(l.unit.y + l.unit.h).toBeLessThanOrEqual(topTick.y);
          expect(l.legend.y + l.unit.h).toBeLessThanOrEqual(l.plot.y);
        },
      ),
    );
  });
});

describe("fitColumnWidths", () => {
  it("never makes a column narrower than its header's longest word", async () => {
    const measure = (t: string, size: number) => t.length * size * 0.55;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z]{1,14}( [A-Za-z]{1,10})?$/), fc.double({ min: 0.2, max: 5 })), {
          minLength: 1,
          maxLength: 9,
        }),
        async (cols) => {
          const { widths, fontSize } = fitColumnWidths({
            measure,
            headers: cols.map((c) => c[0]),
            weights: cols.map((c) => c[1]),
            total: 760,
            pad: 3,
            size: 7.5,
          });
          cols.forEach(([h], i) => {
            const longest = Math.max(...h.split(" ").map((w) => measure(w, fontSize)));
            expect(widths[i]!).toBeGreaterThanOrEqual(longest + 6);
          });
          expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(760 + 1e-6);
        },
      ),
    );
  });
});

describe("PDF tables read back", () => {
  it("keep every header word whole, however narrow its column's weight", async () => {
    const headers = ["#", "Confirmed", "Verification outcome", "Implemented", "Predicted saving", "Notes"];
    const bytes = await streamBytes(
      renderTablePdf({
        title: "Layout",
        meta: [],
        columns: headers.map((header, i) => ({ header, width: i === 5 ? 12 : 0.3, value: () => "x" })),
        rows: [1, 2],
      }),
    );
    if (process.env.PDF_OUT) writeFileSync(`${process.env.PDF_OUT}-table.pdf`, bytes);
    const text = (await pdfText(bytes)).replace(/\s+/g, " ");
    for (const h of headers) for (const word of h.split(" ")) expect(text).toMatch(new RegExp(`(^|\\s)${word}(\\s|$)`));
  });

  it("the scorecard's headers are whole and its date has no milliseconds", async () => {
    const bytes = await streamBytes(
      renderScorecardPdf(
        {
          ...buildScorecard([]),
          filter: { tenant_id: undefined, site_id: undefined, engine: undefined },
          engines: [],
          sites: [],
        },
        new Date("2026-03-01T14:00:00.123Z"),
      ),
    );
    if (process.env.PDF_OUT) writeFileSync(`${process.env.PDF_OUT}-scorecard.pdf`, bytes);
    const text = (await pdfText(bytes)).replace(/\s+/g, " ");
    expect(text).toContain("Confirmed");
    expect(text).toContain("Recommendation");
    expect(text).toContain("2026-03-01 14:00 UTC");
    expect(text).not.toMatch(/\.\d{3}Z/);
  });
});
