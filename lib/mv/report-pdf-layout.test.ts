// The M&V report PDF read back: the y-axis unit ("kWh") clear of every tick label, dates without
// milliseconds, and each chart's legend outside its plot.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { pdfText, pdfTextItems, streamBytes, type PdfTextItem } from "@/tests/support/pdf-text";
import { computeStudy } from "./compute";
import type { Interval } from "./intervals";
import { renderMvReportPdf } from "./report-pdf";
import type { MvReportSchema } from "./serialize";
import { StudySpecSchema } from "./spec";

type Report = z.infer<typeof MvReportSchema>;
const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");

function days(n: number): Interval[] {
  let s = 7;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, d) => {
    const temps = Array.from({ length: 24 }, (_, h) => 12 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + rand());
    const it = 1000 + 50 * Math.sin(d / 4) + 10 * rand();
    const cdd = temps.reduce((a, t) => a + Math.max(0, t - 12), 0) / 24;
    return {
      startMs: T0 + d * DAY,
      energyKwh: 40 + 0.2 * it + 8 * cdd + 3 * rand() - (d >= 60 ? 15 : 0),
      itKwh: it,
      facilityKwh: it * 1.4,
      hourlyTempsC: temps,
      pricePerKwh: 0.1,
      carbonGPerKwh: 250,
    };
  });
}

function report(): Report {
  const spec = StudySpecSchema.parse({
    boundary: "cooling",
    source: { massUntil: "2030-01-01T00:00:00.000Z" },
    baseline: { from: "2026-03-01T00:00:00.000Z", to: "2026-04-30T00:00:00.000Z" },
    reporting: { from: "2026-04-30T00:00:00.000Z", to: "2026-05-30T00:00:00.000Z" },
    granularity: "daily",
    model: { kind: "ols_it_cdd", balancePointC: 12 },
  });
  const data = days(90);
  const results = JSON.parse(
    JSON.stringify(computeStudy(spec, { baseline: data.slice(0, 60), reporting: data.slice(60), currency: "USD" })),
  ) as Report["results"];
  return {
    id: "00000000-0000-4000-8000-000000000001",
    study_id: "00000000-0000-4000-8000-000000000002",
    revision: 1,
    method_version: "mv-1.0",
    app_version: "0.0.0",
    git_commit: null,
    dataset_versions: [],
    inputs_hash: "a".repeat(64),
    results_hash: "b".repeat(64),
    avoided_kwh: results.savings.avoidedKwh,
    uncertainty90_kwh: results.savings.uncertainty90.absoluteKwh,
    calibrated90_kwh: results.savings.calibrated90?.absoluteKwh ?? null,
    pass: results.acceptance.pass,
    trace_id: null,
    created_by: "user:x",
    created_at: "2026-06-01T10:20:30.456Z",
    study: { id: "00000000-0000-4000-8000-000000000002", name: "Layout", tenant_id: "t" },
    spec,
    results,
  };
}

describe("the M&V report PDF", async () => {
  const bytes = await streamBytes(renderMvReportPdf(report(), new Date("2026-06-02T08:09:10.111Z")));
  // PDF_OUT=<file> keeps the PDF (rendered to PNG for docs/screenshots).
  if (process.env.PDF_OUT) writeFileSync(process.env.PDF_OUT, bytes);
  const items = await pdfTextItems(bytes);

  it("writes instants without milliseconds", async () => {
    const text = (await pdfText(bytes)).replace(/\s+/g, " ");
    expect(text).not.toMatch(/\.\d{3}Z/);
    expect(text).not.toMatch(/T\d{2}:\d{2}:\d{2}/);
    expect(text).toContain("2026-06-01 10:20 UTC");
  });

  it("places each chart's kWh unit clear of the tick labels and the title", () => {
    const units = items.filter((i) => i.str === "kWh");
    expect(units.length).toBe(4);
    // A run's box: its width, from the baseline to cap height (about 0.75 of the font size).
    const overlaps = (a: PdfTextItem, b: PdfTextItem) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + 0.75 * b.height && b.y < a.y + 0.75 * a.height;
    for (const u of units) {
      const clashing = items.filter((i) => i.page === u.page && i !== u && overlaps(u, i)).map((i) => i.str);
      expect(clashing).toEqual([]);
      const ticks = items.filter(
        (i) => i.page === u.page && /^[−-]?[\d,.]+$/.test(i.str) && i.x < u.x + u.width + 2 && i.x + i.width > u.x - 2,
      );
      // The nearest tick label below the unit ends lower than the unit's text starts (PDF y grows upwards).
      const below = ticks.filter((t) => t.y < u.y).sort((a, b) => b.y - a.y)[0]!;
      expect(below.y + 0.75 * below.height).toBeLessThanOrEqual(u.y);
    }
  });
});
