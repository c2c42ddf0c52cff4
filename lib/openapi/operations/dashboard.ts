// OpenAPI operations of the "Dashboard" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { DashboardQueryParams, ObservationPageParams, TrendsQueryParams } from "@/lib/kpi/filter";
import { CompareQueryParams } from "@/lib/kpi/before-after";
import { ComparisonSchema, OverviewSchema, TrendsSchema } from "@/lib/kpi/serialize";
import type { OperationSpec } from "../operation-spec";

export const dashboardOperations: OperationSpec[] = [
  {
    method: "get",
    path: "/api/v1/kpi",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "KPIs for the filtered scope and period, with the previous equal period",
    description:
      "Every number is computed from stored observations: the latest version of each dataset (or the chosen one) and/or live MASS requests, within the caller's tenants.",
    query: DashboardQueryParams,
    ok: { status: 200, description: "KPIs, previous-period KPIs and their relative change", schema: OverviewSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/trends",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "Trend series, downsampled in the database to at most `points` buckets",
    query: TrendsQueryParams,
    ok: { status: 200, description: "One point per bucket", schema: TrendsSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/compare",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "Before/after: two periods side by side (not normalized for load or weather)",
    description:
      "N days either side of an event (default: the latest cooling-setpoint change detected in scope), or two explicit periods; KPIs for each and their profiles by time of day or week.",
    query: CompareQueryParams,
    ok: { status: 200, description: "Both periods' KPIs and profiles", schema: ComparisonSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/export.csv",
    tag: "Dashboard",
    auth: "export.create",
    summary: "The KPI summary (current, previous, relative change) as CSV",
    query: DashboardQueryParams,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/kpi/report.pdf",
    tag: "Dashboard",
    auth: "export.create",
    summary: "PDF report: filters, KPIs with changes, trend charts, coverage, dataset versions and hashes",
    query: DashboardQueryParams,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/observations",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "The filtered observations, sorted and paginated on the server",
    query: ObservationPageParams,
    ok: {
      status: 200,
      description: "One page",
      schema: z
        .object({
          period: z.object({ from: z.string(), to: z.string() }),
          total: z.number().int(),
          page: z.number().int(),
          limit: z.number().int(),
          items: z.array(z.record(z.string(), z.unknown())),
        })
        .meta({ id: "ObservationPage" }),
    },
  },
  {
    method: "get",
    path: "/api/v1/observations/export.csv",
    tag: "Dashboard",
    auth: "export.create",
    summary: "Every filtered observation as CSV, streamed (cells safe against formula injection)",
    query: DashboardQueryParams,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
];
