// GET /api/v1/observations – the filtered observations, sorted and paginated on the server
import { withApi } from "@/lib/handlers/with-api";
import { ObservationPageSchema } from "@/lib/kpi/filter";
import { countObservations, pageObservations } from "@/lib/kpi/observations";
import { resolvePeriod, scopeOf } from "@/lib/kpi/scope";

export const GET = withApi("dashboard.read", async ({ principal, query }) => {
  const q = query(ObservationPageSchema);
  const scope = scopeOf(principal, q);
  const period = await resolvePeriod(scope, q);
  const [items, total] = await Promise.all([pageObservations(scope, period, q), countObservations(scope, period)]);
  return Response.json({
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    total,
    page: q.page,
    limit: q.limit,
    items: items.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
    ),
  });
});
