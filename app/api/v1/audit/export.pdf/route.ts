// GET /api/v1/audit/export.pdf – the filtered audit events as PDF, ending with the chain verification
import { AuditFilterSchema } from "@/lib/audit/audit-filter";
import { auditPdf } from "@/lib/audit/export-audit";
import { recordAuditExport } from "@/lib/audit/record-export";
import { exportFilename, pdfResponseHeaders } from "@/lib/export/download-headers";
import { withApi } from "@/lib/handlers/with-api";
import { actorNames } from "@/lib/users/actor-names";

export const GET = withApi(
  "audit.export",
  async ({ principal, query, context }) => {
    const filter = query(AuditFilterSchema);
    await recordAuditExport(principal, filter, "pdf", context);
    return new Response(
      auditPdf(principal, filter, (refs) => actorNames(principal, refs)),
      {
        headers: pdfResponseHeaders(exportFilename("audit-trail", "pdf")),
      },
    );
  },
  { sameSiteSession: true },
);
