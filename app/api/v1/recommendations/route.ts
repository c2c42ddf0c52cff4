// GET /api/v1/recommendations – recommendations of the caller's tenants, newest first, filtered,
// with the open savings estimate of the same tenant and asset scope (the status filter aside)
import { serializeRecommendation } from "@/lib/biocore/serialize";
import { listRecommendations, openSavings24h, RecommendationFilterSchema } from "@/lib/biocore/recommendations";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("recommendation.read", async ({ principal, query }) => {
  const f = query(RecommendationFilterSchema);
  const [items, open] = await Promise.all([
    listRecommendations(principal, f),
    openSavings24h(principal, {
      tenantIds: f.tenant_id ? [f.tenant_id] : undefined,
      siteId: f.site_id,
      clusterId: f.cluster_id,
      zoneId: f.zone_id,
    }),
  ]);
  return Response.json({
    items: items.map(serializeRecommendation),
    open: { count: open.count, saving_kwh_24h: open.kwh },
  });
});
