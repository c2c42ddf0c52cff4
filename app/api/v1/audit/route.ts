// GET /api/v1/audit – audit events, newest first, filtered like the audit panel, cursor-paginated
import { AuditFilterSchema, AuditPageSchema } from "@/lib/audit/audit-filter";
import { listAuditEvents } from "@/lib/audit/repo";
import { serializeAuditEvent } from "@/lib/audit/serialize";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("audit.read", async ({ principal, query }) => {
  const filter = query(AuditFilterSchema.extend(AuditPageSchema.shape));
  const { items, nextCursor } = await listAuditEvents(principal, filter, {
    cursor: filter.cursor,
    limit: filter.limit,
  });
  return Response.json({ items: items.map(serializeAuditEvent), next_cursor: nextCursor });
});
