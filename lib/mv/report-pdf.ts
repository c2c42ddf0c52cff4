// A report as PDF in the IPMVP style: summary (avoided energy, cost, CO2e, %, uncertainty), scope
// and periods, option and method, model and fit statistics with pass/fail, assumptions and
// adjustments, charts drawn as vector graphics, data quality, and the reproducibility block.
import "server-only";
import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import type { z } from "zod";
import { drawChartFrame } from "@/lib/export/pdf-chart";
import { pdfFontPaths } from "@/lib/export/pdf-fonts";
import { conventionsLine, describeConventions, reportConventions } from "./conventions";
import type { MvReportSchema } from "./serialize";
import { formatDecimal, formatKwh, formatPercent, formatUtcDay, formatUtcText } from "@/lib/format";

type Report = z.infer<typeof MvReportSchema>;
type Doc = PDFKit.PDFDocument;

const BRAND = "#047857";
const M = 40;
const MAX_POINTS = 500;

const passText = (pass: boolean) => (pass ? "PASS" : "FAIL");

/** Bucket means so a year of hours draws as a few hundred vertices. */
function downsample(t: string[], values: number[][]): { t: number[]; values: number[][] } {
  const n = t.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const out = { t: [] as number[], values: values.map(() => [] as number[]) };
  for (let i = 0; i < n; i += step) {
    const end = Math.min(n, i + step);
    out.t.push(Date.parse(t[i]!));
    values.forEach((v, k) => {
      let s = 0;
      for (let j = i; j < end; j++) s += v[j]!;
      out.values[k]!.push(s / (end - i));
    });
  }
  return out;
}

function chart(
  doc: Doc,
  width: number,
  title: string,
  t: string[],
  series: { name: string; color: string; values: number[] }[],
  unit: string,
  band?: { lo: number[]; hi: number[]; name: string },
) {
  const h = 110;
  if (doc.y + h + 50 > doc.page.height - M) doc.addPage();
  const top = doc.y;
  const ds = downsample(t, [...series.map((s) => s.values), ...(band ? [band.lo, band.hi] : [])]);
  const all = ds.values.flat();
  if (all.length === 0) {
    doc.font("bold").fontSize(9).fillColor("#0f172a").text(title, M, top);
    doc
      .font("body")
      .fontSize(8)
      .text("No intervals.", M, top + 24);
    doc.y = top + 44;
    return;
  }
  const t0 = ds.t[0]!;
  const t1 = ds.t[ds.t.length - 1]!;
  const { layout, py, lo, hi } = drawChartFrame(doc, {
    x: M,
    top,
    width,
    plotHeight: h,
    title,
    unit,
    legend: [...series, ...(band ? [{ name: band.name, color: "#93c5fd" }] : [])],
    values: all,
    xLabels: [formatUtcDay(t0), formatUtcDay(t1)],
  });
  const plot = layout.plot;
  const px = (x: number) => plot.x + ((x - t0) / Math.max(1, t1 - t0)) * plot.w;
  if (band) {
    const loV = ds.values[series.length]!;
    const hiV = ds.values[series.length + 1]!;
    ds.t.forEach((x, i) => (i === 0 ? doc.moveTo(px(x), py(hiV[i]!)) : doc.lineTo(px(x), py(hiV[i]!))));
    for (let i = ds.t.length - 1; i >= 0; i--) doc.lineTo(px(ds.t[i]!), py(loV[i]!));
    doc.closePath().fillOpacity(0.6).fill("#dbeafe");
    doc.fillOpacity(1);
  }
  if (lo < 0 && hi > 0)
    doc
      .moveTo(plot.x, py(0))
      .lineTo(plot.x + plot.w, py(0))
      .lineWidth(0.4)
      .strokeColor("#94a3b8")
      .stroke();
  series.forEach((s, si) => {
    ds.values[si]!.forEach((v, i) => (i === 0 ? doc.moveTo(px(ds.t[i]!), py(v)) : doc.lineTo(px(ds.t[i]!), py(v))));
    doc.lineWidth(0.7).strokeColor(s.color).stroke();
  });
  doc.fillColor("#0f172a");
  doc.y = layout.bottom;
}

function table(doc: Doc, width: number, rows: [string, string][], widths = [0.42, 0.58]) {
  for (const [k, v] of rows) {
    if (doc.y > doc.page.height - M - 14) doc.addPage();
    const y = doc.y;
    doc
      .font("bold")
      .fontSize(8)
      .fillColor("#0f172a")
      .text(k, M, y, { width: width * widths[0]! - 6 });
    const yk = doc.y;
    doc.font("body").text(v, M + width * widths[0]!, y, { width: width * widths[1]! });
    doc.y = Math.max(yk, doc.y) + 2;
  }
}

function heading(doc: Doc, text: string) {
  if (doc.y > doc.page.height - M - 60) doc.addPage();
  doc.moveDown(0.6);
  doc.font("bold").fontSize(11).fillColor(BRAND).text(text, M);
  doc.moveDown(0.2);
}

export function renderMvReportPdf(r: Report, generatedAt: Date): ReadableStream<Uint8Array> {
  const fonts = pdfFontPaths();
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: M, bottom: M, left: M, right: M },
    info: { Title: `M&V report — ${r.study.name}`, Creator: "Pilot-in-a-Box", CreationDate: generatedAt },
  });
  doc.registerFont("body", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const width = doc.page.width - 2 * M;
  const res = r.results;
  const s = res.savings;
  const option =
    r.spec.boundary === "cooling"
      ? `IPMVP Option B — retrofit isolation: cooling system (${(r.spec.boundarySignals ?? ["chiller_kw", "fan_power_kw"]).join(" + ")})`
      : "IPMVP Option C — whole facility";

  doc.font("bold").fontSize(18).fillColor(BRAND).text("Measurement & Verification report");
  doc
    .font("body")
    .fontSize(10)
    .fillColor("#334155")
    .text(`${r.study.name} — revision ${r.revision} — tenant ${r.study.tenant_id}`);
  doc.moveDown(0.4);
  doc
    .font("bold")
    .fontSize(12)
    .fillColor(res.acceptance.pass ? "#047857" : "#b91c1c")
    .text(
      res.acceptance.pass
        ? "Result meets the study's acceptance criteria"
        : "Result does NOT meet all acceptance criteria — read the checks below",
    );

  heading(doc, "Summary");
  table(doc, width, [
    ["Avoided energy", `${formatKwh(s.avoidedKwh)} (${formatPercent(s.avoidedPct)} of the adjusted baseline)`],
    [
      "Uncertainty, 68 % confidence",
      `± ${formatKwh(s.uncertainty68.absoluteKwh)} (${formatPercent(s.uncertainty68.fractional)} of the savings)`,
    ],
    [
      "Uncertainty, 90 % confidence",
      `± ${formatKwh(s.uncertainty90.absoluteKwh)} (${formatPercent(s.uncertainty90.fractional)} of the savings)`,
    ],
    ...(s.uncertainty68Plain && s.uncertainty90Plain
      ? ([
          [
            "Uncertainty without autocorrelation correction, 68 % / 90 %",
            `± ${formatKwh(s.uncertainty68Plain.absoluteKwh)} / ± ${formatKwh(s.uncertainty90Plain.absoluteKwh)} (n − p degrees of freedom, n for n′)`,
          ],
        ] as [string, string][])
      : []),
    [
      "Calibrated uncertainty, 90 % (used for verdicts)",
      s.calibrated90
        ? `± ${formatKwh(s.calibrated90.absoluteKwh)} (${formatPercent(s.calibrated90.fractional)} of the savings): the larger of the Guideline 14 band above (random error only) and the out-of-sample band, ± ${formatKwh(s.calibrated90.modelFormKwh)} from the blocked cross-validation${s.calibrated90.extrapolationRatio !== null ? `, extrapolation ratio ${formatDecimal(s.calibrated90.extrapolationRatio, 2)}` : ""}${s.calibrated90.validated ? "" : ` — not validated for this model: ${s.calibrationNote ?? ""}`}`
        : (s.calibrationNote ?? "— (report computed before method mv-2.0)"),
    ],
    [
      "Avoided cost",
      s.avoidedCost === null
        ? "— (no price for every interval)"
        : `${formatDecimal(s.avoidedCost, 2)} ${s.currency ?? ""}`,
    ],
    [
      "Avoided emissions",
      s.avoidedCo2eKg === null
        ? "— (no carbon intensity for every interval)"
        : `${formatDecimal(s.avoidedCo2eKg, 1)} kg CO2e`,
    ],
    [
      "Actual / adjusted baseline",
      `${formatKwh(s.actualKwh)} / ${formatKwh(s.adjustedBaselineKwh)} over ${s.intervals} ${r.spec.granularity === "hourly" ? "hours" : "days"}`,
    ],
    ["Non-routine adjustments", formatKwh(s.nonRoutineKwh)],
    ["PUE baseline → reporting", `${formatDecimal(res.pue.baseline)} → ${formatDecimal(res.pue.reporting)}`],
  ]);

  heading(doc, "Scope, periods and method");
  const sc = r.spec.scope;
  table(doc, width, [
    ["Option and boundary", option],
    [
      "Scope",
      [
        sc.siteId && `site ${sc.siteId}`,
        sc.facilityId && `facility ${sc.facilityId}`,
        sc.clusterId && `cluster ${sc.clusterId}`,
        sc.zoneId && `zone ${sc.zoneId}`,
      ]
        .filter(Boolean)
        .join(", ") || "whole tenant",
    ],
    ["Baseline period", `${formatUtcText(r.spec.baseline.from)} → ${formatUtcText(r.spec.baseline.to)}`],
    ["Reporting period", `${formatUtcText(r.spec.reporting.from)} → ${formatUtcText(r.spec.reporting.to)}`],
    ["Granularity", r.spec.granularity],
    [
      "Model",
      `${res.model.kind}${res.model.balancePointC !== null ? `, balance point ${res.model.balancePointC} °C${r.spec.model.balancePointC == null ? " (searched by adjusted R²)" : ""}` : ""}${res.model.knotsC.length ? `, knots ${res.model.knotsC.join(", ")} °C` : ""}`,
    ],
    ["Notes", [...res.model.notes, ...res.dataNotes].join(" ") || "—"],
  ]);

  if (res.selection) {
    heading(doc, "Model selection (automatic)");
    table(doc, width, [
      ["Rule", res.selection.rule],
      ["Chosen", res.selection.reason],
      ...res.selection.candidates.map((c): [string, string] => [
        `${c.kind}${c.kind === res.selection!.chosen ? " (chosen)" : ""}`,
        c.cvRmse !== null
          ? `held-out CV(RMSE) ${formatPercent(c.cvRmse, 2)}; in-sample adjusted R² ${formatDecimal(c.adjR2, 4)}; p ${c.p}${c.balancePointC !== null ? `; balance point ${c.balancePointC} °C` : ""}`
          : `not compared: ${c.error ?? "—"}`,
      ]),
    ]);
  }

  heading(doc, "Model and fit statistics (ASHRAE Guideline 14)");
  const a = res.acceptance;
  table(doc, width, [
    ["R² / adjusted R²", `${formatDecimal(res.fit.r2, 4)} / ${formatDecimal(res.fit.adjR2, 4)}`],
    [
      "CV(RMSE)",
      `${formatPercent(a.cvRmse.value, 2)} — limit ${formatPercent(a.cvRmse.threshold, 0)} — ${passText(a.cvRmse.pass)}`,
    ],
    [
      "NMBE",
      `${formatPercent(a.nmbe.value, 3)} — limit ±${formatPercent(a.nmbe.threshold, 0)} — ${passText(a.nmbe.pass)}`,
    ],
    [
      "Savings uncertainty (68 %)",
      `${formatPercent(a.uncertainty68.value)} of savings — limit ${formatPercent(a.uncertainty68.threshold, 0)} — ${passText(a.uncertainty68.pass)}`,
    ],
    ["Data sufficiency", passText(a.sufficiency)],
    ["Points n, parameters p", `${res.fit.n}, ${res.fit.p}`],
    [
      "Residual lag-1 autocorrelation ρ, effective n′",
      `${formatDecimal(res.fit.autocorrelation, 4)}, ${formatDecimal(res.fit.nEffective, 1)}`,
    ],
  ]);
  const coefs =
    res.model.coefficients.length > 14
      ? res.model.coefficients.filter((c) => !c.name.startsWith("tow_"))
      : res.model.coefficients;
  doc.moveDown(0.3);
  doc
    .font("bold")
    .fontSize(8)
    .text(
      res.model.coefficients.length > coefs.length
        ? `Coefficients (the ${res.model.coefficients.length - coefs.length} time-of-week indicators are in the CSV/JSON)`
        : "Coefficients",
      M,
    );
  table(
    doc,
    width,
    coefs.map((c) => [
      c.name,
      `${c.estimate.toPrecision(6)}  (SE ${c.stdError.toPrecision(4)}, t ${c.tStat.toFixed(2)}, p ${c.pValue < 1e-4 ? "<0.0001" : c.pValue.toFixed(4)})`,
    ]),
  );

  heading(doc, "Assumptions and adjustments");
  const as = r.spec.assumptions;
  const conv = reportConventions(res);
  const weighting = conv.conventions.priceWeighting === "boundary_energy" ? "boundary" : "facility";
  table(doc, width, [
    [
      "Energy price",
      as.energyPrice.source === "fixed"
        ? `${as.energyPrice.perKwh} ${as.energyPrice.currency}/kWh (fixed)`
        : `per interval, from the data (weighted by ${weighting} energy)`,
    ],
    [
      "Carbon intensity",
      as.carbonIntensity.source === "fixed"
        ? `${as.carbonIntensity.gPerKwh} gCO2e/kWh (fixed)`
        : `per interval, from the data (weighted by ${weighting} energy)`,
    ],
    [
      "Exclusions (baseline or reporting)",
      as.exclusions.map((e) => `${formatUtcText(e.from)} → ${formatUtcText(e.to)}: ${e.reason}`).join("; ") || "none",
    ],
    [
      "Non-routine adjustments",
      as.adjustments.map((x) => `${x.at}: ${formatKwh(x.kwh)} — ${x.reason}`).join("; ") || "none",
    ],
    [
      "Data sufficiency rule",
      `coverage ≥ ${formatPercent(as.sufficiency.minCoverage, 0)}; baseline ≥ ${as.sufficiency.minBaselineDays} days; reporting ≥ ${as.sufficiency.minReportingDays} days`,
    ],
    ...inputRuleRows(r),
  ]);

  heading(doc, "Conventions");
  table(doc, width, [
    ...describeConventions(conv.conventions),
    [
      "As recorded",
      `${conventionsLine(conv.conventions)}${conv.recorded ? "" : " — not recorded in this report (computed before conventions were selectable); these are the ones every report used then"}`,
    ],
  ]);

  heading(doc, "Data quality");
  const q = res.sufficiency;
  table(doc, width, [
    [
      "Baseline",
      `${q.baseline.complete} of ${q.baseline.expected} intervals complete (${formatPercent(q.baseline.coverage)}), ${q.baseline.excluded} excluded, ${formatDecimal(q.baseline.days, 1)} days — ${passText(q.baseline.pass)}`,
    ],
    [
      "Reporting",
      `${q.reporting.complete} of ${q.reporting.expected} intervals complete (${formatPercent(q.reporting.coverage)}), ${q.reporting.excluded} excluded, ${formatDecimal(q.reporting.days, 1)} days — ${passText(q.reporting.pass)}`,
    ],
    ...inputQualityRows(r),
  ]);

  heading(doc, "Charts");
  chart(
    doc,
    width,
    "Baseline: model fit vs actual",
    res.baselineSeries.t,
    [
      { name: "actual", color: "#0f172a", values: res.baselineSeries.actualKwh },
      { name: "model", color: "#2563eb", values: res.baselineSeries.fittedKwh },
    ],
    "kWh",
  );
  chart(
    doc,
    width,
    "Reporting period: adjusted baseline vs actual",
    res.reportingSeries.t,
    [
      { name: "actual", color: "#0f172a", values: res.reportingSeries.actualKwh },
      { name: "adjusted baseline", color: "#2563eb", values: res.reportingSeries.adjustedBaselineKwh },
    ],
    "kWh",
  );
  const cum = res.reportingSeries.cumulativeKwh;
  const u = res.reportingSeries.cumulativeCalibrated90Kwh ?? res.reportingSeries.cumulativeU90Kwh;
  chart(
    doc,
    width,
    res.reportingSeries.cumulativeCalibrated90Kwh
      ? "Cumulative avoided energy with its calibrated 90 % band"
      : "Cumulative avoided energy with its 90 % uncertainty band (Guideline 14)",
    res.reportingSeries.t,
    [{ name: "cumulative savings", color: "#047857", values: cum }],
    "kWh",
    {
      lo: cum.map((c, i) => c - u[i]!),
      hi: cum.map((c, i) => c + u[i]!),
      name: "90 % band",
    },
  );
  chart(
    doc,
    width,
    "Baseline residuals (actual − model)",
    res.baselineSeries.t,
    [
      {
        name: "residual",
        color: "#7c3aed",
        values: res.baselineSeries.actualKwh.map((v, i) => v - res.baselineSeries.fittedKwh[i]!),
      },
    ],
    "kWh",
  );

  heading(doc, "Reproducibility");
  table(doc, width, [
    ["Report", r.id],
    ["Method version", r.method_version],
    ["Inputs SHA-256", r.inputs_hash],
    ["Results SHA-256", r.results_hash],
    [
      "Dataset versions",
      r.dataset_versions.map((v) => `${v.dataset} v${v.version} (${v.id}) SHA-256 ${v.sha256}`).join("; ") || "none",
    ],
    ["MASS data", r.spec.source.massUntil ? `received up to ${formatUtcText(r.spec.source.massUntil)}` : "not used"],
    ["Application", `Pilot-in-a-Box ${r.app_version}${r.git_commit ? ` (${r.git_commit})` : ""}`],
    ["Computed at / PDF generated at", `${formatUtcText(r.created_at)} / ${formatUtcText(generatedAt)}`],
  ]);
  doc.moveDown(0.5);
  doc
    .font("body")
    .fontSize(7)
    .fillColor("#64748b")
    .text(
      "Formulas and sources: docs/MV-METHOD.md. Running the same study revision again on the same immutable data gives the same results hash. The pilot only observes; it never sends a control action.",
      M,
      doc.y,
      { width },
    );
  doc.end();
  return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}

const MAX_PDF_LINES = 40;

function inputRuleRows(r: Report): [string, string][] {
  const rules = r.results.inputRules;
  if (!rules) return [];
  return [
    ...(r.spec.granularity === "daily"
      ? [
          [
            "Partial days",
            `a day counts with at least ${rules.minHoursPerDay} of 24 complete hours; its energies are scaled to 24 h (× 24 / hours present), its temperature from the hours present`,
          ] as [string, string],
        ]
      : []),
    [
      "Data-quality flags",
      `stale runs (a value of ${rules.boundarySignals
        .concat("it_load_kw")
        .filter((c, i, a) => a.indexOf(c) === i)
        .join(
          ", ",
        )} unchanged for more than ${rules.staleAfterSeconds} s): their hours are ${rules.includeFlagged ? "kept (the study includes flagged data)" : "left out"}`,
    ],
  ];
}

function inputQualityRows(r: Report): [string, string][] {
  const res = r.results;
  const rows: [string, string][] = [];
  const partial = [...(res.inputs?.baseline.hoursPresent ?? []), ...(res.inputs?.reporting.hoursPresent ?? [])].filter(
    (h) => h < 24,
  ).length;
  if (r.spec.granularity === "daily" && res.inputs)
    rows.push([
      "Partial days used",
      partial === 0 ? "none" : `${partial} (hours present per day in the CSV, column hours_present)`,
    ]);
  const excluded = res.excludedIntervals ?? [];
  if (excluded.length > 0) {
    const listed = excluded.slice(0, MAX_PDF_LINES).map((x) => `${x.period} ${x.t}: ${x.reason}`);
    rows.push([
      "Excluded intervals",
      `${excluded.length}: ${listed.join("; ")}${excluded.length > listed.length ? `; … (${excluded.length - listed.length} more in the CSV)` : ""}`,
    ]);
  }
  const q = res.inputQuality;
  if (q) {
    const listed = q.flags
      .slice(0, MAX_PDF_LINES)
      .map(
        (f) =>
          `${f.column} at ${[f.siteId, f.facilityId, f.clusterId, f.zoneId].filter(Boolean).join("/")}, ${formatUtcText(f.from)} → ${formatUtcText(f.to)} (${f.hours} h at ${f.value})`,
      );
    rows.push([
      "Stale runs",
      q.flagCount === 0
        ? "none"
        : `${q.flagCount}${q.rule.includeFlagged ? " (kept)" : `, ${q.flaggedHours} scope-hours left out`}: ${listed.join("; ")}${q.flagCount > listed.length ? `; … (${q.flagCount - listed.length} more${q.flagCount > q.flags.length ? "" : " in the JSON report"})` : ""}`,
    ]);
    for (const v of q.sources) {
      const range = Object.entries(v.outOfRange)
        .map(([c, n]) => `${c} ${n}`)
        .join(", ");
      rows.push([
        `Dropped at load: ${v.dataset} v${v.version}`,
        `${v.duplicates} duplicate rows (first kept), ${v.rejected} rejected rows${range ? ` (out of range: ${range})` : ""}; their hours count as incomplete`,
      ]);
    }
  }
  return rows;
}
