// GET /api/v1/kpi/export.csv – the KPI summary (current, previous, change) as CSV (audited)
import { csvResponseHeaders, exportFilename } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { kpiCsv, recordExport } from "@/lib/kpi/exports";
import { DashboardQuerySchema } from "@/lib/kpi/filter";
import { overview } from "@/lib/kpi/overview";

export const GET = withApi(
  "export.create",
  async ({ principal, query, context }) => {
    const q = query(DashboardQuerySchema);
    const view = await overview(principal, q);
    await recordExport(principal, "kpis", "csv", q, view.period, view.current.rows, context);
    return new Response(kpiCsv(view), { headers: csvResponseHeaders(exportFilename("kpi-summary", "csv")) });
  },
  { sameSiteSession: true },
);
