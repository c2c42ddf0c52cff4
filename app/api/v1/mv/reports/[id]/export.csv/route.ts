// GET /api/v1/mv/reports/{id}/export.csv – per-interval actual, baseline, savings and cumulative savings, with a metadata block (audited)
import { csvResponseHeaders, exportFilename } from "@/lib/export/download-headers";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { reportCsv } from "@/lib/mv/report-csv";
import { getReportOrThrow, recordReportExport } from "@/lib/mv/reports";

export const GET = withApi<{ id: string }>(
  "export.create",
  async ({ principal, params, context }) => {
    const report = await getReportOrThrow(principal, uuidParam(params.id, "M&V report"));
    await recordReportExport(principal, report, "csv", context);
    return new Response(reportCsv(report), { headers: csvResponseHeaders(exportFilename("mv-report", "csv")) });
  },
  { sameSiteSession: true },
);
