// GET /api/v1/scorecard/report.pdf – the scorecard as PDF for a steering meeting (audited)
import { exportFilename, pdfResponseHeaders } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { getScorecard, recordScorecardExport, ScorecardFilterSchema } from "@/lib/verification/scorecard";
import { renderScorecardPdf } from "@/lib/verification/scorecard-pdf";

export const GET = withApi(
  "export.create",
  async ({ principal, query, context }) => {
    const s = await getScorecard(principal, query(ScorecardFilterSchema));
    await recordScorecardExport(principal, s, "pdf", context);
    return new Response(renderScorecardPdf(s, new Date()), {
      headers: pdfResponseHeaders(exportFilename("scorecard", "pdf")),
    });
  },
  { sameSiteSession: true },
);
