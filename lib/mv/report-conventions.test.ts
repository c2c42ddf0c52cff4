// Reports print their conventions: the CSV metadata and the PDF of a report computed now, and of a
// report stored before conventions were recorded (no results.conventions, no plain uncertainty).
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { pdfText } from "@/tests/support/pdf-text";
import { computeStudy } from "./compute";
import type { Interval } from "./intervals";
import { reportMetadata } from "./report-csv";
import { renderMvReportPdf } from "./report-pdf";
import type { MvReportSchema } from "./serialize";
import { StudySpecSchema, type StudySpecInput } from "./spec";

type Report = z.infer<typeof MvReportSchema>;
const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");

function days(n: number): Interval[] {
  let s = 5;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, d) => {
    const temps = Array.from(
      { length: 24 },
      (_, h) => 10 + d * 0.1 + 6 * Math.sin(((h - 9) / 24) * 2 * Math.PI) + rand(),
    );
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

const input: StudySpecInput = {
  boundary: "cooling",
  source: { massUntil: "2030-01-01T00:00:00Z" },
  baseline: { from: "2026-03-01T00:00:00Z", to: "2026-04-30T00:00:00Z" },
  reporting: { from: "2026-04-30T00:00:00Z", to: "2026-05-30T00:00:00Z" },
  granularity: "daily",
  model: { kind: "ols_it_cdd", balancePointC: 12 },
};

function reportOf(spec: StudySpecInput, strip = false): Report {
  const parsed = StudySpecSchema.parse(spec);
  const data = days(90);
  const results = JSON.parse(
    JSON.stringify(computeStudy(parsed, { baseline: data.slice(0, 60), reporting: data.slice(60), currency: "USD" })),
  ) as Report["results"];
  if (strip) {
    // As stored before this change: no conventions, no plain uncertainty, no degrees of freedom.
    delete results.conventions;
    delete results.savings.uncertainty68Plain;
    delete results.savings.uncertainty90Plain;
    delete results.savings.uncertainty68.df;
    delete results.savings.uncertainty90.df;
  }
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
    created_at: "2026-06-01T00:00:00.000Z",
    study: { id: "00000000-0000-4000-8000-000000000002", name: "Conventions", tenant_id: "t" },
    spec: parsed,
    results,
  };
}

async function pdfOf(r: Report): Promise<string> {
  const chunks: Uint8Array[] = [];
  const reader = renderMvReportPdf(r, new Date("2026-06-02T00:00:00Z")).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return (await pdfText(Buffer.concat(chunks))).replace(/\s+/g, " ");
}

describe("a report's conventions", () => {
  const current = reportOf({ ...input, conventions: { degreeDays: "daily_mean", uncertaintyDf: "n_minus_p" } });
  const old = reportOf(input, true);

  it("are a CSV metadata line, with the plain uncertainty", () => {
    const meta = reportMetadata(current);
    expect(meta).toContain(
      "# conventions: degreeDays=daily_mean; autocorrelation=consecutive; uncertaintyDf=n_minus_p; priceWeighting=boundary_energy\r\n",
    );
    expect(meta).toContain(`# uncertainty90_plain_kwh: ${current.results.savings.uncertainty90Plain!.absoluteKwh}\r\n`);
    expect(meta).toContain(`# uncertainty68_plain_kwh: ${current.results.savings.uncertainty68Plain!.absoluteKwh}\r\n`);
  });

  it("are the legacy ones, marked as not recorded, for a report stored before them", () => {
    const meta = reportMetadata(old);
    expect(meta).toContain(
      "# conventions: degreeDays=hourly; autocorrelation=adjacent_rows; uncertaintyDf=n_effective_minus_p; priceWeighting=facility_energy (not recorded;",
    );
    expect(meta).not.toContain("plain");
  });

  it("are a section of the PDF", async () => {
    const text = await pdfOf(current);
    expect(text).toContain("Conventions");
    expect(text).toContain("from the daily mean temperature");
    expect(text).toContain("n − p");
    expect(text).toContain("weighted by the measurement boundary's energy");
    expect(text).toContain("Uncertainty without autocorrelation correction");
    const legacy = await pdfOf(old);
    expect(legacy).toContain("from hourly exceedances");
    expect(legacy).toContain("over adjacent rows");
    expect(legacy).toContain("not recorded in this report");
    expect(legacy).toContain("weighted by facility energy");
    expect(legacy).not.toContain("Uncertainty without autocorrelation correction");
  });
});
