// A report as CSV: a block of "# key: value" metadata lines (papaparse reads them as comments with
// `comments: "#"`), then one row per interval of the baseline (actual vs fitted) and of the
// reporting period (actual vs adjusted baseline, savings and cumulative savings with their 90 %
// uncertainty), each with every model input (IT and facility energy, mean outdoor temperature,
// cooling degrees at the model's balance point, hours present) so the fit can be redone from the
// file; intervals left out by the study's exclusions are rows too, flagged with their reason.
import "server-only";
import { toCsvStream, type CsvCell } from "@/lib/export/csv";
import { conventionsLine, reportConventions } from "./conventions";
import type { MvReportSchema } from "./serialize";
import type { z } from "zod";

type Report = z.infer<typeof MvReportSchema>;
type Inputs = {
  it: number | null;
  facility: number | null;
  temp: number | null;
  degrees: number | null;
  hours: number | null;
  excluded: boolean | null;
  reason: string | null;
};
type Row = {
  period: "baseline" | "reporting";
  t: string;
  actual: number;
  baseline: number | null;
  savings: number | null;
  cumulative: number | null;
  u90: number | null;
  calibrated?: number | null;
} & Inputs;

type Results = Report["results"];
const NO_INPUTS: Inputs = {
  it: null,
  facility: null,
  temp: null,
  degrees: null,
  hours: null,
  excluded: null,
  reason: null,
};

function inputsAt(cols: NonNullable<Results["inputs"]>["baseline"] | undefined, i: number): Inputs {
  if (!cols) return NO_INPUTS;
  return {
    it: cols.itKwh[i] ?? null,
    facility: cols.facilityKwh[i] ?? null,
    temp: cols.meanTempC[i] ?? null,
    degrees: cols.coolingDegrees?.[i] ?? null,
    hours: cols.hoursPresent[i] ?? null,
    excluded: false,
    reason: null,
  };
}

/** The period's rows in time order: the intervals used, and those the study's exclusions left out. */
function* periodRows(used: Row[], excluded: NonNullable<Results["excludedIntervals"]>): Generator<Row> {
  let k = 0;
  for (const row of used) {
    while (k < excluded.length && excluded[k]!.t < row.t) yield excludedRow(excluded[k++]!);
    yield row;
  }
  while (k < excluded.length) yield excludedRow(excluded[k++]!);
}

function excludedRow(x: NonNullable<Results["excludedIntervals"]>[number]): Row {
  return {
    period: x.period,
    t: x.t,
    actual: x.actualKwh,
    baseline: null,
    savings: null,
    cumulative: null,
    u90: null,
    it: x.itKwh,
    facility: x.facilityKwh,
    temp: x.meanTempC,
    degrees: x.coolingDegrees,
    hours: x.hoursPresent,
    excluded: true,
    reason: x.reason,
  };
}

function* rows(r: Report): Generator<Row> {
  const b = r.results.baselineSeries;
  const inputs = r.results.inputs;
  const excluded = r.results.excludedIntervals ?? [];
  const baseline: Row[] = [];
  for (let i = 0; i < b.t.length; i++)
    baseline.push({
      period: "baseline",
      t: b.t[i]!,
      actual: b.actualKwh[i]!,
      baseline: b.fittedKwh[i]!,
      savings: null,
      cumulative: null,
      u90: null,
      ...inputsAt(inputs?.baseline, i),
    });
  yield* periodRows(
    baseline,
    excluded.filter((x) => x.period === "baseline"),
  );
  const s = r.results.reportingSeries;
  const reporting: Row[] = [];
  for (let i = 0; i < s.t.length; i++) {
    reporting.push({
      period: "reporting",
      t: s.t[i]!,
      actual: s.actualKwh[i]!,
      baseline: s.adjustedBaselineKwh[i]!,
      savings: s.savingsKwh[i]!,
      cumulative: s.cumulativeKwh[i]!,
      u90: s.cumulativeU90Kwh[i]!,
      calibrated: s.cumulativeCalibrated90Kwh?.[i] ?? null,
      ...inputsAt(inputs?.reporting, i),
    });
  }
  yield* periodRows(
    reporting,
    excluded.filter((x) => x.period === "reporting"),
  );
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
    [
      "boundary",
      r.spec.boundary === "cooling"
        ? `cooling system, ${(r.spec.boundarySignals ?? ["chiller_kw", "fan_power_kw"]).join(" + ")} (IPMVP Option B)`
        : "whole facility (IPMVP Option C)",
    ],
    ["granularity", r.spec.granularity],
    [
      "model",
      r.results.model.kind +
        (r.results.model.balancePointC !== null ? `, balance point ${r.results.model.balancePointC} °C` : ""),
    ],
    ["baseline", `${r.spec.baseline.from} / ${r.spec.baseline.to}`],
    ["reporting", `${r.spec.reporting.from} / ${r.spec.reporting.to}`],
    ...inputMetadata(r),
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
    [
      "conventions",
      ((c) =>
        conventionsLine(c.conventions) +
        (c.recorded ? "" : " (not recorded; the conventions of reports made before they were)"))(
        reportConventions(r.results),
      ),
    ],
    ["inputs_sha256", r.inputs_hash],
    ["results_sha256", r.results_hash],
    ["app", `${r.app_version}${r.git_commit ? ` (${r.git_commit})` : ""}`],
    ["dataset_versions", r.dataset_versions.map((v) => `${v.dataset} v${v.version} ${v.sha256}`).join("; ") || "none"],
    ["generated_at", r.created_at],
  ];
  return (
    lines
      .map(
        ([k, v]) =>
          `# ${k}: ${String(v)
            .replace(/[\r\n]+/g, " ")
            .replace(AFTER_COMMA_FORMULA, ",$1'")}`,
      )
      .join("\r\n") + "\r\n"
  );
}

export function reportCsv(r: Report): ReadableStream<Uint8Array> {
  const body = toCsvStream<Row>(
    rows(r),
    [
      { header: "period", value: (x) => x.period },
      { header: "interval_start_utc", value: (x) => x.t },
      { header: "actual_kwh", value: (x) => x.actual },
      { header: "baseline_kwh", value: (x) => x.baseline },
      { header: "savings_kwh", value: (x) => x.savings },
      { header: "cumulative_savings_kwh", value: (x) => x.cumulative },
      { header: "cumulative_uncertainty90_kwh", value: (x) => x.u90 },
      { header: "cumulative_calibrated90_kwh", value: (x) => x.calibrated ?? null },
      { header: "it_kwh", value: (x) => x.it },
      { header: "facility_kwh", value: (x) => x.facility },
      { header: "mean_outdoor_temp_c", value: (x) => x.temp },
      { header: "cooling_degrees", value: (x) => x.degrees },
      { header: "hours_present", value: (x) => x.hours },
      { header: "excluded", value: (x) => x.excluded },
      { header: "excluded_reason", value: (x) => x.reason },
    ],
    { bom: false },
  );
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

/** How the intervals were built and what was left out: the rules, the study's exclusions and the quality flags. */
function inputMetadata(r: Report): [string, CsvCell][] {
  const res = r.results;
  const lines: [string, CsvCell][] = [
    ["exclusions", r.spec.assumptions.exclusions.map((e) => `${e.from} / ${e.to}: ${e.reason}`).join("; ") || "none"],
  ];
  const rules = res.inputRules;
  if (rules) {
    lines.push(["boundary_signals", rules.boundarySignals.join(" + ")]);
    if (r.spec.granularity === "daily")
      lines.push([
        "day_rule",
        `a day counts with at least ${rules.minHoursPerDay} complete hours; its energies are scaled to 24 h (x 24 / hours_present)`,
      ]);
    lines.push([
      "stale_rule",
      `a measured value unchanged for more than ${rules.staleAfterSeconds} s is a stale run; its hours are ${rules.includeFlagged ? "kept" : "left out"}`,
    ]);
  }
  const q = res.inputQuality;
  if (q) {
    const listed = q.flags.map(
      (f) =>
        `${f.column} ${[f.siteId, f.facilityId, f.clusterId, f.zoneId].filter(Boolean).join("/")} ${f.from} / ${f.to} (${f.hours} h, value ${f.value})`,
    );
    lines.push([
      "stale_runs",
      `${q.flagCount}${q.flagCount > q.flags.length ? ` (first ${q.flags.length} listed)` : ""}${listed.length ? `: ${listed.join("; ")}` : ""}`,
    ]);
    lines.push(["flagged_hours_left_out", q.flaggedHours]);
    if (q.sources.length)
      lines.push([
        "dropped_at_load",
        q.sources
          .map(
            (v) =>
              `${v.dataset} v${v.version}: ${v.duplicates} duplicate rows, ${v.rejected} rejected rows${
                Object.keys(v.outOfRange).length
                  ? ` (out of range: ${Object.entries(v.outOfRange)
                      .map(([c, n]) => `${c} ${n}`)
                      .join(", ")})`
                  : ""
              }`,
          )
          .join("; "),
      ]);
  }
  return lines;
}
