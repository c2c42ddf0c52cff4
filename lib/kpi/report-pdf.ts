// The dashboard's PDF report: filters, KPI table with changes, three trend charts drawn as vector
// graphics, coverage, and what it was computed from (dataset versions and hashes, app version and
// commit, generation time) — enough to reproduce every number.
import "server-only";
import { Readable } from "node:stream";
import PDFDocument from "pdfkit";
import { drawChartFrame } from "@/lib/export/pdf-chart";
import { pdfFontPaths } from "@/lib/export/pdf-fonts";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { compareKpi } from "./compare";
import { displayKpi, fullLabel, KPI_CATALOGUE } from "./catalogue";
import { shortChange } from "./exports";
import { dashboardQueryString, type DashboardQuery } from "./filter";
import type { Overview } from "./overview";
import { sourceRows } from "./queries/report-sources";
import { planRollups } from "./rollup-plan";
import type { TrendPoint } from "./trends";
import { formatUtc } from "@/lib/format";

const BRAND = "#047857";
const M = 40;

export type SourceVersion = { dataset: string; tenant: string; version: number; sha256: string; rows: number };

/** The dataset versions (and MASS rows) the report's numbers come from, counted through the rollups. */
export async function reportSources(o: Overview): Promise<{ versions: SourceVersion[]; massRows: number }> {
  const rows = await sourceRows(o.scope, planRollups(o.period));
  return {
    versions: rows
      .filter((r) => r.sha256)
      .map((r) => ({
        dataset: r.dataset!,
        tenant: r.tenant!,
        version: r.version!,
        sha256: r.sha256!,
        rows: Number(r.rows),
      })),
    massRows: Number(rows.find((r) => !r.sha256)?.rows ?? 0),
  };
}

export function renderReportPdf(input: {
  overview: Overview;
  query: DashboardQuery;
  trends: TrendPoint[];
  sources: { versions: SourceVersion[]; massRows: number };
  generatedAt: Date;
}): ReadableStream<Uint8Array> {
  const { overview: o, trends, sources } = input;
  const fonts = pdfFontPaths();
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: M, bottom: M, left: M, right: M },
    info: { Title: "Pilot-in-a-Box energy report", Creator: "Pilot-in-a-Box", CreationDate: input.generatedAt },
  });
  doc.registerFont("body", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const width = doc.page.width - 2 * M;

  doc.font("bold").fontSize(18).fillColor(BRAND).text("Energy report");
  doc
    .font("body")
    .fontSize(9)
    .fillColor("#334155")
    .text(
      `${formatUtc(o.period.from)} → ${formatUtc(o.period.to)}, compared with ${formatUtc(o.previous.from)} → ${formatUtc(o.previous.to)}`,
    );
  doc.moveDown(0.5);
  const meta: [string, string][] = [
    [
      "Filters",
      [...new URLSearchParams(dashboardQueryString(input.query))].map(([k, v]) => `${k}=${v}`).join(", ") ||
        "none (all data in scope)",
    ],
    ["Generated", formatUtc(input.generatedAt)],
    ["Application", `Pilot-in-a-Box ${APP_VERSION}${GIT_COMMIT ? ` (${GIT_COMMIT})` : ""}`],
    [
      "Coverage",
      o.current.coverage === null
        ? "—"
        : `${(o.current.coverage * 100).toFixed(1)} % of expected intervals (${o.current.rows.toLocaleString("en")} observations, ${o.current.series} series)`,
    ],
    ["MASS observations", sources.massRows.toLocaleString("en")],
  ];
  for (const [k, v] of meta)
    doc.font("bold").fontSize(8).fillColor("#0f172a").text(`${k}: `, { continued: true }).font("body").text(v);
  for (const s of sources.versions) {
    doc
      .font("bold")
      .fontSize(8)
      .text("Dataset: ", { continued: true })
      .font("body")
      .text(
        `${s.dataset} (tenant ${s.tenant}) v${s.version}, ${s.rows.toLocaleString("en")} rows, SHA-256 ${s.sha256}`,
      );
  }
  doc.moveDown(0.8);

  // KPI table
  const cols = [0.4, 0.2, 0.2, 0.2].map((f) => f * width);
  const header = ["KPI", "Current", "Previous", "Change"];
  let y = doc.y;
  doc.rect(M, y - 2, width, 14).fill("#f1f5f9");
  doc.fillColor("#0f172a").font("bold").fontSize(8);
  let x = M;
  header.forEach((h, i) => {
    doc.text(h, x + 3, y + 1, { width: cols[i]! - 6, align: i === 0 ? "left" : "right", lineBreak: false });
    x += cols[i]!;
  });
  y += 14;
  doc.font("body");
  for (const row of KPI_CATALOGUE) {
    // Both periods in one unit, rounded as on the overview's cards (lib/kpi/catalogue.ts).
    const both = [o.current[row.field], o.before[row.field]];
    const current = displayKpi(row, both[0]!, o.current, both);
    const previous = displayKpi(row, both[1]!, o.current, both);
    const delta = row.compare ? shortChange(compareKpi(row.compare, o.current, o.before)) : "";
    const cells = [
      `${fullLabel(row)}${current.unit ? ` (${current.unit})` : ""}`,
      current.value,
      previous.value,
      delta,
    ];
    x = M;
    cells.forEach((c, i) => {
      doc.text(c, x + 3, y + 1, { width: cols[i]! - 6, align: i === 0 ? "left" : "right", lineBreak: false });
      x += cols[i]!;
    });
    y += 13;
    doc
      .moveTo(M, y - 1)
      .lineTo(M + width, y - 1)
      .lineWidth(0.3)
      .strokeColor("#e2e8f0")
      .stroke();
  }
  doc.y = y + 12;

  const chart = (
    title: string,
    series: { name: string; color: string; values: (number | null)[] }[],
    unit: string,
    band?: [number, number],
  ) => {
    const h = 120;
    if (doc.y + h + 50 > doc.page.height - M) doc.addPage();
    const top = doc.y;
    const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null)).concat(band ?? []);
    if (all.length === 0 || trends.length === 0) {
      doc.font("bold").fontSize(9).fillColor("#0f172a").text(title, M, top);
      doc
        .font("body")
        .fontSize(8)
        .text("No data in the period.", M, top + 24);
      doc.y = top + 44;
      return;
    }
    const t0 = o.period.from.getTime();
    const t1 = o.period.to.getTime();
    const { layout, py } = drawChartFrame(doc, {
      x: M,
      top,
      width,
      plotHeight: h,
      title,
      unit,
      legend: series.length > 1 ? series : [],
      values: all,
      xLabels: [formatUtc(o.period.from), formatUtc(o.period.to)],
    });
    const plot = layout.plot;
    const px = (t: string) => plot.x + ((Math.max(t0, Date.parse(t)) - t0) / Math.max(1, t1 - t0)) * plot.w;
    if (band)
      doc
        .rect(plot.x, py(band[1]), plot.w, py(band[0]) - py(band[1]))
        .fillOpacity(0.5)
        .fill("#dcfce7");
    doc.fillOpacity(1);
    for (const s of series) {
      let pen = false;
      s.values.forEach((v, i) => {
        if (v === null) {
          pen = false;
          return;
        }
        const [cx, cy] = [px(trends[i]!.t), py(v)];
        if (pen) doc.lineTo(cx, cy);
        else doc.moveTo(cx, cy);
        pen = true;
      });
      doc.lineWidth(0.8).strokeColor(s.color).stroke();
    }
    doc.fillColor("#0f172a");
    doc.y = layout.bottom;
  };
  chart(
    "Facility vs IT power",
    [
      { name: "Facility", color: "#0f766e", values: trends.map((p) => p.facilityKw) },
      { name: "IT", color: "#2563eb", values: trends.map((p) => p.itKw) },
    ],
    "kW",
  );
  chart("PUE", [{ name: "PUE", color: "#7c3aed", values: trends.map((p) => p.pue) }], "");
  chart(
    "Rack inlet p95 (mean and max) against the ASHRAE 18–27 °C band",
    [
      { name: "mean", color: "#d97706", values: trends.map((p) => p.p95InletC) },
      { name: "max", color: "#dc2626", values: trends.map((p) => p.p95InletMaxC) },
    ],
    "°C",
    [18, 27],
  );

  doc
    .font("body")
    .fontSize(7)
    .fillColor("#64748b")
    .text(
      "Energy = interval average power × duration. PUE = Σ facility kWh / Σ IT kWh over intervals with both (ISO/IEC 30134-2). Cost and CO2e weight price and grid carbon intensity by facility energy. The comparison with the previous period is not normalized for load or weather. The pilot only observes; it never sends a control action.",
      M,
      doc.y + 6,
      { width },
    );
  doc.end();
  return Readable.toWeb(doc) as unknown as ReadableStream<Uint8Array>;
}
