// GET /api/v1/scorecard/export.csv – one row per implemented recommendation: predicted, verified ± 90 %, verdict (audited)
import { csvResponseHeaders, exportFilename } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { getScorecard, recordScorecardExport, ScorecardFilterSchema } from "@/lib/verification/scorecard";
import { scorecardCsv } from "@/lib/verification/scorecard-csv";

export const GET = withApi(
  "export.create",
  async ({ principal, query, context }) => {
    const s = await getScorecard(principal, query(ScorecardFilterSchema));
    await recordScorecardExport(principal, s, "csv", context);
    return new Response(scorecardCsv(s.items), { headers: csvResponseHeaders(exportFilename("scorecard", "csv")) });
  },
  { sameSiteSession: true },
);
