// GET /api/v1/kpi – the overview's KPIs for the filtered scope and period, with the previous equal period
import { withApi } from "@/lib/handlers/with-api";
import { DashboardQuerySchema } from "@/lib/kpi/filter";
import { overview } from "@/lib/kpi/overview";
import { serializeOverview } from "@/lib/kpi/serialize";

export const GET = withApi("dashboard.read", async ({ principal, query }) =>
  Response.json(serializeOverview(await overview(principal, query(DashboardQuerySchema)))),
);
