// GET /api/v1/recommendations – recommendations of the caller's tenants, newest first, filtered
import { serializeRecommendation } from "@/lib/biocore/serialize";
import { listRecommendations, RecommendationFilterSchema } from "@/lib/biocore/recommendations";
import { withApi } from "@/lib/http/with-api";

export const GET = withApi("recommendation.read", async ({ principal, query }) =>
  Response.json({ items: (await listRecommendations(principal, query(RecommendationFilterSchema))).map(serializeRecommendation) }),
);
