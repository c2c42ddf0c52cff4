// GET /api/v1/observations/export.csv – every filtered observation as CSV, streamed (audited)
import { csvResponseHeaders, exportFilename } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { observationsCsv, recordExport } from "@/lib/kpi/exports";
import { DashboardQuerySchema } from "@/lib/kpi/filter";
import { countObservations } from "@/lib/kpi/observations";
import { resolvePeriod, scopeOf } from "@/lib/kpi/scope";

export const GET = withApi(
  "export.create",
  async ({ principal, query, context }) => {
    const q = query(DashboardQuerySchema);
    const scope = scopeOf(principal, q);
    const period = await resolvePeriod(scope, q);
    await recordExport(principal, "observations", "csv", q, period, await countObservations(scope, period), context);
    return new Response(await observationsCsv(scope, period), {
      headers: csvResponseHeaders(exportFilename("observations", "csv")),
    });
  },
  { sameSiteSession: true },
);
