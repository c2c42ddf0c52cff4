// GET /api/v1/kpi/report.pdf – the PDF report: filters, KPIs with changes, vector charts, sources (audited)
import { exportFilename, pdfResponseHeaders } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { traced } from "@/lib/observability/tracing";
import { recordExport } from "@/lib/kpi/exports";
import { DashboardQuerySchema } from "@/lib/kpi/filter";
import { overview } from "@/lib/kpi/overview";
import { renderReportPdf, reportSources } from "@/lib/kpi/report-pdf";
import { computeTrends } from "@/lib/kpi/trends";

export const GET = withApi(
  "export.create",
  async ({ principal, query, context }) => {
    const q = query(DashboardQuerySchema);
    const view = await overview(principal, q);
    const [trends, sources] = await Promise.all([computeTrends(view.scope, view.period, 300), reportSources(view)]);
    await recordExport(principal, "report", "pdf", q, view.period, view.current.rows, context);
    const pdf = await traced("pdf.render", { "pib.pdf": "energy-report" }, async () =>
      renderReportPdf({ overview: view, query: q, trends: trends.points, sources, generatedAt: new Date() }),
    );
    return new Response(pdf, { headers: pdfResponseHeaders(exportFilename("energy-report", "pdf")) });
  },
  { sameSiteSession: true },
);
