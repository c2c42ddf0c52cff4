// GET /api/v1/kpi/compare – before/after: two periods (or N days around an event), KPIs side by side
// and their profiles by time of day or week. Not normalized for load or weather.
import { withApi } from "@/lib/handlers/with-api";
import { compare, CompareQuerySchema } from "@/lib/kpi/before-after";
import { scopeOf } from "@/lib/kpi/scope";
import { serializeComparison } from "@/lib/kpi/serialize";

export const GET = withApi("dashboard.read", async ({ principal, query }) => {
  const q = query(CompareQuerySchema);
  return Response.json(
    serializeComparison(await compare(scopeOf(principal, { ...q, period: "30d", from: undefined, to: undefined }), q)),
  );
});
