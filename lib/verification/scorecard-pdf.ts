// The scorecard as the PDF a pilot sponsor takes to a steering meeting: what was implemented, how
// much of what BioCore predicted was verified (with 90 % uncertainty), per engine version and
// category, the calibration chart, the biggest misses, and how the numbers were made.
import "server-only";
import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { fitColumnWidths } from "@/lib/export/pdf-columns";
import { pdfFontPaths } from "@/lib/export/pdf-fonts";
import { calibrationLayout, VERDICT_COLORS } from "./calibration";
import type { ScorecardResult } from "./scorecard";
import { formatKwh, formatPercent, formatUtc } from "@/lib/format";

const BRAND = "#047857";
const M = 40;

type Doc = PDFKit.PDFDocument;

function row(doc: Doc, cells: string[], widths: number[], bold = false) {
  if (doc.y > doc.page.height - M - 16) doc.addPage();
  const y = doc.y;
  let x = M;
  let bottom = y;
  cells.forEach((c, i) => {
    doc
      .font(bold ? "bold" : "body")
      .fontSize(8)
      .fillColor("#0f172a")
      .text(c, x, y, { width: widths[i]! - 4 });
    bottom = Math.max(bottom, doc.y);
    x += widths[i]!;
  });
  doc.y = bottom + 2;
}

/** Widths from weights, each at least its header's longest word in bold 8 pt: headers never break mid-word. */
function headerFit(doc: Doc, headers: string[], weights: number[], total: number): number[] {
  return fitColumnWidths({
    measure: (text, size) => doc.font("bold").fontSize(size).widthOfString(text),
    headers,
    weights,
    total,
    pad: 2,
    size: 8,
    minSize: 8,
  }).widths;
}

function heading(doc: Doc, text: string) {
  if (doc.y > doc.page.height - M - 80) doc.addPage();
  doc.moveDown(0.6);
  doc.font("bold").fontSize(11).fillColor(BRAND).text(text, M);
  doc.moveDown(0.2);
}

export function renderScorecardPdf(s: ScorecardResult, generatedAt: Date): ReadableStream<Uint8Array> {
  const fonts = pdfFontPaths();
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: M, bottom: M, left: M, right: M },
    info: { Title: "BioCore scorecard: predicted vs verified", Creator: "Pilot-in-a-Box", CreationDate: generatedAt },
  });
  doc.registerFont("body", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const width = doc.page.width - 2 * M;
  const t = s.total;
  const f = s.filter;

  doc.font("bold").fontSize(18).fillColor(BRAND).text("BioCore scorecard: predicted vs verified");
  doc
    .font("body")
    .fontSize(9)
    .fillColor("#334155")
    .text(
      `Filters: ${[f.tenant_id && `tenant ${f.tenant_id}`, f.site_id && `site ${f.site_id}`, f.engine && `engine ${f.engine}`, f.from && `effective from ${f.from}`, f.to && `before ${f.to}`].filter(Boolean).join(", ") || "none"} — generated ${formatUtc(generatedAt)}`,
    );
  heading(doc, "Summary");
  doc
    .font("body")
    .fontSize(10)
    .fillColor("#0f172a")
    .text(
      `${t.implemented} recommendation${t.implemented === 1 ? "" : "s"} implemented, ${t.verified} with a verification report, ${t.conclusive} conclusive: ${t.confirmed} confirmed (${formatPercent(t.confirmedShare, 0)} of the conclusive ones), ${t.notConfirmed} not confirmed. ` +
        `Over the conclusive ones BioCore predicted ${formatKwh(t.predictedKwh)} saved; M&V verified ${formatKwh(t.verifiedKwh)} ± ${formatKwh(t.verifiedU90Kwh)} (90 %). ` +
        `${t.inconclusive} inconclusive, not in the totals${
          s.inconclusive.length
            ? `: ${s.inconclusive
                .slice(0, 10)
                .map((i) => i.recId)
                .join(", ")}${s.inconclusive.length > 10 ? ", …" : ""}`
            : ""
        }.`,
      { width },
    );

  heading(doc, "Per engine version and category");
  const groupHeaders = ["Engine", "Category", "Impl.", "Confirmed", "Share", "Predicted", "Verified ± 90 %"];
  const w = headerFit(doc, groupHeaders, [120, 85, 50, 50, 55, 70, 85], width);
  row(doc, groupHeaders, w, true);
  for (const g of s.groups)
    row(
      doc,
      [
        g.engine,
        g.category,
        String(g.implemented),
        String(g.confirmed),
        formatPercent(g.confirmedShare, 0),
        formatKwh(g.predictedKwh),
        `${formatKwh(g.verifiedKwh)} ± ${formatKwh(g.verifiedU90Kwh)}`,
      ],
      w,
    );
  row(
    doc,
    [
      "All",
      "",
      String(t.implemented),
      String(t.confirmed),
      formatPercent(t.confirmedShare, 0),
      formatKwh(t.predictedKwh),
      `${formatKwh(t.verifiedKwh)} ± ${formatKwh(t.verifiedU90Kwh)}`,
    ],
    w,
    true,
  );

  heading(doc, "Calibration: predicted vs verified saving");
  const pts = s.points.map((p) => ({
    id: p.recommendationId,
    label: p.recId,
    predictedKwh: p.comparison.predicted.energyKwh,
    verifiedKwh: p.comparison.verified!.energyKwh,
    u90Kwh: p.comparison.verified!.energyU90Kwh,
    verdict: p.comparison.verdict,
  }));
  if (pts.length === 0) doc.font("body").fontSize(9).text("No verified implementation yet.");
  else {
    if (doc.y + 240 > doc.page.height - M) doc.addPage();
    const top = doc.y;
    const g = calibrationLayout(pts, 340, 230, { left: 60, right: 10, top: 6, bottom: 28 });
    const ox = M;
    const X = (v: number) => ox + v;
    const Y = (v: number) => top + v;
    doc.lineWidth(0.5).strokeColor("#cbd5e1").rect(X(g.plot.x), Y(g.plot.y), g.plot.w, g.plot.h).stroke();
    doc
      .moveTo(X(g.px(g.lo)), Y(g.py(g.lo)))
      .lineTo(X(g.px(g.hi)), Y(g.py(g.hi)))
      .dash(3, { space: 3 })
      .strokeColor("#94a3b8")
      .stroke()
      .undash();
    doc.font("body").fontSize(7).fillColor("#64748b");
    for (const v of g.ticks) {
      doc.text(Math.round(v).toLocaleString("en"), X(0), Y(g.py(v)) - 3, {
        width: g.plot.x - 4,
        align: "right",
        lineBreak: false,
      });
      doc.text(Math.round(v).toLocaleString("en"), X(g.px(v)) - 25, Y(g.plot.y + g.plot.h) + 3, {
        width: 50,
        align: "center",
        lineBreak: false,
      });
    }
    doc.text("predicted saving (kWh) →", X(g.plot.x), Y(g.plot.y + g.plot.h) + 14, { lineBreak: false });
    doc.text("verified (kWh, ± 90 %)", X(0), Y(g.plot.y) - 2, { width: 56, lineBreak: true });
    for (const p of g.points) {
      const c = VERDICT_COLORS[p.verdict] ?? "#0f172a";
      doc.moveTo(X(p.cx), Y(p.yLo)).lineTo(X(p.cx), Y(p.yHi)).lineWidth(1).strokeColor(c).stroke();
      doc.circle(X(p.cx), Y(p.cy), 2.5).fill(c);
    }
    doc.y = top + 236;
    doc
      .font("body")
      .fontSize(7)
      .fillColor("#64748b")
      .text(
        "Dashed: predicted = verified. Colour: verdict (green confirmed, red not confirmed, amber inconclusive).",
        M,
        doc.y,
        { width },
      );
  }

  heading(doc, "Biggest misses (verified − predicted)");
  const missHeaders = ["Recommendation", "Site", "Category", "Predicted", "Verified ± 90 %", "Miss", "Verdict"];
  const mw = headerFit(doc, missHeaders, [70, 60, 90, 75, 85, 60, 75], width);
  row(doc, missHeaders, mw, true);
  for (const m of s.misses) {
    const v = m.comparison.verified!;
    row(
      doc,
      [
        m.recId,
        m.siteId ?? "—",
        m.category,
        formatKwh(m.comparison.predicted.energyKwh),
        `${formatKwh(v.energyKwh)} ± ${formatKwh(v.energyU90Kwh)}`,
        formatKwh(m.missKwh),
        `${m.comparison.verdict.replace("_", " ")}${m.comparison.position ? ` (${m.comparison.position})` : ""}`,
      ],
      mw,
    );
  }
  if (s.misses.length === 0) doc.font("body").fontSize(8).text("None yet.");

  heading(doc, "How these numbers are made");
  doc
    .font("body")
    .fontSize(8)
    .fillColor("#334155")
    .text(
      "Each implemented recommendation gets an ordinary M&V study (IPMVP; ASHRAE Guideline 14 statistics): cooling boundary (Option B, chiller + fans) for setpoint and fan changes, the facility meter (Option C) otherwise; 28 days of baseline before the change and 28 after by default; daily IT energy + cooling degree-days with the balance point searched. " +
        "Predicted = −(BioCore's facility power delta) × the hours the study measured; on the cooling boundary the facility prediction is attributed to the cooling plant, where such a change saves. " +
        "Verdict: confirmed when the verified 90 % band excludes zero on the saving side; inconclusive when the band contains both zero and the prediction, or data is insufficient; not confirmed otherwise. Totals combine the 90 % uncertainties in quadrature. Method: docs/MV-METHOD.md. The pilot only observes; it never sends a control action.",
      { width },
    );
  doc.end();
  return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}
