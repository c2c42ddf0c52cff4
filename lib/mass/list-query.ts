import { z } from "zod";
import { isStorableYear } from "@/lib/http/query-values";
import { MASS_SORTS, type MassListFilter } from "./repo";

const text = z.string().trim().min(1).max(128).optional();
const date = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time" });
      return z.NEVER;
    }
    if (!isStorableYear(d)) {
      ctx.addIssue({ code: "custom", message: "must be between the years 1 and 9999" });
      return z.NEVER;
    }
    return d;
  });

// GET /api/v1/mass and the /requests page share these query parameters.
export const MassListQueryParams = z.object({
  tenant_id: text,
  site_id: text,
  facility_id: text,
  cluster_id: text,
  zone_id: text,
  status: z.enum(["pending", "processing", "done", "failed"]).optional(),
  schema_version: text,
  from: date.meta({ description: "Received at or after (ISO 8601)" }),
  to: date.meta({ description: "Received before (ISO 8601)" }),
  correlation_id: text,
  request_id: text,
  sort: z.enum(MASS_SORTS).default("-received_at").meta({ description: "A column, `-` for descending" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional().meta({ description: "`next_cursor` of the previous page" }),
});

export const MassListQuerySchema = MassListQueryParams.transform((q) => ({
  filter: {
    tenantIds: q.tenant_id ? [q.tenant_id.toLowerCase()] : undefined,
    siteId: q.site_id,
    facilityId: q.facility_id,
    clusterId: q.cluster_id,
    zoneId: q.zone_id,
    status: q.status,
    schemaVersion: q.schema_version,
    from: q.from,
    to: q.to,
    correlationId: q.correlation_id,
    requestId: q.request_id,
  } satisfies MassListFilter,
  sort: q.sort,
  limit: q.limit,
  cursor: q.cursor,
}));
