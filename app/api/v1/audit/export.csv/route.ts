// GET /api/v1/audit/export.csv – the filtered audit events as CSV (streamed)
import { AuditFilterSchema } from "@/lib/audit/audit-filter";
import { auditCsv } from "@/lib/audit/export-audit";
import { recordAuditExport } from "@/lib/audit/record-export";
import { exportFilename, csvResponseHeaders } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { actorNames } from "@/lib/users/actor-names";

export const GET = withApi(
  "audit.export",
  async ({ principal, query, context }) => {
    const filter = query(AuditFilterSchema);
    await recordAuditExport(principal, filter, "csv", context);
    return new Response(
      auditCsv(principal, filter, (refs) => actorNames(principal, refs)),
      {
        headers: csvResponseHeaders(exportFilename("audit-trail", "csv")),
      },
    );
  },
  { sameSiteSession: true },
);
