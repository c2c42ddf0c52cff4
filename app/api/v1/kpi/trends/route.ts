// GET /api/v1/kpi/trends – the trend series for the filtered scope and period, downsampled to `points`
import { withApi } from "@/lib/handlers/with-api";
import { TrendsQuerySchema } from "@/lib/kpi/filter";
import { resolvePeriod, scopeOf } from "@/lib/kpi/scope";
import { serializeTrends } from "@/lib/kpi/serialize";
import { computeTrends } from "@/lib/kpi/trends";

export const GET = withApi("dashboard.read", async ({ principal, query }) => {
  const q = query(TrendsQuerySchema);
  const scope = scopeOf(principal, q);
  const period = await resolvePeriod(scope, q);
  const trends = await computeTrends(scope, period, q.points);
  return Response.json(serializeTrends(period, trends.bucketSeconds, trends.points));
});
