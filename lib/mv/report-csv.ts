// A report as CSV: a block of "# key: value" metadata lines (papaparse reads them as comments with
// `comments: "#"`), then one row per interval of the baseline (actual vs fitted) and of the
// reporting period (actual vs adjusted baseline, savings and cumulative savings with their 90 %
// uncertainty).
import "server-only";
import { toCsvStream, type CsvCell } from "@/lib/export/csv";
import { conventionsLine, reportConventions } from "./conventions";
import type { MvReportSchema } from "./serialize";
import type { z } from "zod";

type Report = z.infer<typeof MvReportSchema>;
type Row = { period: "baseline" | "reporting"; t: string; actual: number; baseline: number; savings: number | null; cumulative: number | null; u90: number | null };

function* rows(r: Report): Generator<Row> {
  const b = r.results.baselineSeries;
  for (let i = 0; i < b.t.length; i++) yield { period: "baseline", t: b.t[i]!, actual: b.actualKwh[i]!, baseline: b.fittedKwh[i]!, savings: null, cumulative: null, u90: null };
  const s = r.results.reportingSeries;
  for (let i = 0; i < s.t.length; i++) {
    yield { period: "reporting", t: s.t[i]!, actual: s.actualKwh[i]!, baseline: s.adjustedBaselineKwh[i]!, savings: s.savingsKwh[i]!, cumulative: s.cumulativeKwh[i]!, u90: s.cumulativeU90Kwh[i]! };
  }
}

// A spreadsheet splits a metadata line at its commas, so user text (a study or dataset name) could
// start a cell after one: such a cell gets the leading quote, as text cells do (lib/export/csv.ts).
const AFTER_COMMA_FORMULA = /,(\s*"*)(?=[=+\-@\t])/g;

/** Metadata lines: never user text at a line start that a spreadsheet would run (they start with "# "), nor after a comma. */
export function reportMetadata(r: Report): string {
  const s = r.results.savings;
  const lines: [string, CsvCell][] = [
    ["report", r.id],
    ["study", `${r.study.name} (${r.study.id}), revision ${r.revision}`],
    ["tenant", r.study.tenant_id],
    ["boundary", r.spec.boundary === "cooling" ? "cooling system, chiller + fans (IPMVP Option B)" : "whole facility (IPMVP Option C)"],
    ["granularity", r.spec.granularity],
    ["model", r.results.model.kind + (r.results.model.balancePointC !== null ? `, balance point ${r.results.model.balancePointC} °C` : "")],
    ["baseline", `${r.spec.baseline.from} / ${r.spec.baseline.to}`],
    ["reporting", `${r.spec.reporting.from} / ${r.spec.reporting.to}`],
    ["avoided_kwh", s.avoidedKwh],
    ["uncertainty68_kwh", s.uncertainty68.absoluteKwh],
    ["uncertainty90_kwh", s.uncertainty90.absoluteKwh],
    ...(s.uncertainty68Plain && s.uncertainty90Plain
      ? ([
          ["uncertainty68_plain_kwh", s.uncertainty68Plain.absoluteKwh],
          ["uncertainty90_plain_kwh", s.uncertainty90Plain.absoluteKwh],
        ] as [string, CsvCell][])
      : []),
    ["cv_rmse", r.results.fit.cvRmse],
    ["nmbe", r.results.fit.nmbe],
    ["pass", r.pass],
    ["method_version", r.method_version],
    ["conventions", ((c) => conventionsLine(c.conventions) + (c.recorded ? "" : " (not recorded; the conventions of reports made before they were)"))(reportConventions(r.results))],
    ["inputs_sha256", r.inputs_hash],
    ["results_sha256", r.results_hash],
    ["app", `${r.app_version}${r.git_commit ? ` (${r.git_commit})` : ""}`],
    ["dataset_versions", r.dataset_versions.map((v) => `${v.dataset} v${v.version} ${v.sha256}`).join("; ") || "none"],
    ["generated_at", r.created_at],
  ];
  return lines.map(([k, v]) => `# ${k}: ${String(v).replace(/[\r\n]+/g, " ").replace(AFTER_COMMA_FORMULA, ",$1'")}`).join("\r\n") + "\r\n";
}

export function reportCsv(r: Report): ReadableStream<Uint8Array> {
  const body = toCsvStream<Row>(rows(r), [
    { header: "period", value: (x) => x.period },
    { header: "interval_start_utc", value: (x) => x.t },
    { header: "actual_kwh", value: (x) => x.actual },
    { header: "baseline_kwh", value: (x) => x.baseline },
    { header: "savings_kwh", value: (x) => x.savings },
    { header: "cumulative_savings_kwh", value: (x) => x.cumulative },
    { header: "cumulative_uncertainty90_kwh", value: (x) => x.u90 },
  ], { bom: false });
  const head = new TextEncoder().encode(`\uFEFF${reportMetadata(r)}`);
  const reader = body.getReader();
  let sentHead = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
