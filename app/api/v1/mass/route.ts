// POST /api/v1/mass – ingest a MASS Simple request; GET /api/v1/mass – list requests
import { scopeTenantFilter } from "@/lib/access/tenant-scope";
import { withApi } from "@/lib/handlers/with-api";
import { ingestMass } from "@/lib/mass/ingest";
import { MassListQuerySchema } from "@/lib/mass/list-query";
import { readMassBody } from "@/lib/mass/read-mass-body";
import { countMassRequests, listMassRequests } from "@/lib/mass/repo";
import { ingestResponse } from "@/lib/mass/respond";
import { serializeMassSummary } from "@/lib/mass/serialize";

export const POST = withApi("mass.ingest", async ({ request, principal, context }) =>
  ingestResponse(
    await ingestMass({
      kind: "simple",
      body: await readMassBody(request),
      principal,
      context,
      idempotencyKeyHeader: request.headers.get("idempotency-key"),
      traceparentHeader: request.headers.get("traceparent"),
    }),
  ),
);

export const GET = withApi("mass.read", async ({ principal, query }) => {
  const q = query(MassListQuerySchema);
  const filter = { ...q.filter, tenantIds: scopeTenantFilter(principal, q.filter.tenantIds) };
  const [{ items, nextCursor }, total] = await Promise.all([
    listMassRequests(filter, { sort: q.sort, limit: q.limit, cursor: q.cursor }),
    countMassRequests(filter),
  ]);
  return Response.json({ items: items.map(serializeMassSummary), next_cursor: nextCursor, total });
});
