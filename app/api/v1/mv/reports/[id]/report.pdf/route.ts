// GET /api/v1/mv/reports/{id}/report.pdf – the report as PDF in the IPMVP style (audited)
import { exportFilename, pdfResponseHeaders } from "@/lib/export/download-headers";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { traced } from "@/lib/observability/tracing";
import { getReportOrThrow, recordReportExport } from "@/lib/mv/reports";
import { renderMvReportPdf } from "@/lib/mv/report-pdf";

export const GET = withApi<{ id: string }>(
  "export.create",
  async ({ principal, params, context }) => {
    const report = await getReportOrThrow(principal, uuidParam(params.id, "M&V report"));
    await recordReportExport(principal, report, "pdf", context);
    const pdf = await traced("pdf.render", { "pib.pdf": "mv-report" }, async () =>
      renderMvReportPdf(report, new Date()),
    );
    return new Response(pdf, { headers: pdfResponseHeaders(exportFilename("mv-report", "pdf")) });
  },
  { sameSiteSession: true },
);
