// The dashboard's filters, shared by every card, chart, table, export and API route: all in the
// URL. Periods are anchored at the end of the data in scope (or now, whichever is earlier), so a
// dataset that ended last month still shows its last 30 days instead of an empty page.
import { z } from "zod";
import { optionalInstant } from "@/lib/http/query-values";
import { RANGE_KEYS } from "./range";

export const PERIODS = {
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
  "12m": 365 * 86_400_000,
} as const;
export type PeriodPreset = keyof typeof PERIODS;

const text = z.string().trim().min(1).max(64).optional();
export const DashboardQueryParams = z.object({
  period: z
    .enum(["24h", "7d", "30d", "90d", "12m", "custom"])
    .default("30d")
    .meta({ description: "A preset ending at the end of the data (or now), or `custom` with `from` and `to`" }),
  range: z.enum(RANGE_KEYS).optional().meta({
    description:
      "A period relative to now, resolved when the request is answered (calendar ranges in UTC); when given, `period`, `from` and `to` are ignored",
  }),
  from: optionalInstant.meta({ description: "Custom period start (ISO 8601; no zone = UTC)" }),
  to: optionalInstant.meta({ description: "Custom period end, exclusive" }),
  tenant_id: text,
  site_id: text,
  facility_id: text,
  cluster_id: text,
  zone_id: text,
  version: z
    .uuid()
    .optional()
    .meta({ description: "A dataset version id; default: the latest version of every dataset in scope" }),
  source: z.enum(["all", "csv", "mass"]).default("all").meta({ description: "CSV datasets, MASS requests, or both" }),
});

export const DashboardQuerySchema = DashboardQueryParams.superRefine((q, ctx) => {
  if (q.range || q.period !== "custom") return;
  if (!q.from) ctx.addIssue({ code: "custom", path: ["from"], message: "is required for a custom period" });
  if (!q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "is required for a custom period" });
  if (q.from && q.to && q.to <= q.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  if (q.from && q.to && q.to.getTime() - q.from.getTime() > 3 * 366 * 86_400_000)
    ctx.addIssue({ code: "custom", path: ["to"], message: "a period is at most 3 years" });
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

const Points = z.coerce
  .number()
  .int()
  .min(10)
  .max(2000)
  .default(400)
  .meta({ description: "At most this many buckets (the chart's width)" });
export const TrendsQueryParams = DashboardQueryParams.extend({ points: Points });
export const TrendsQuerySchema = DashboardQuerySchema.and(z.object({ points: Points }));

/** The query as URL parameters (for links that keep the view, and exports). */
export function dashboardQueryString(q: DashboardQuery, overrides: Record<string, string | undefined> = {}): string {
  const out = new URLSearchParams();
  const set = (k: string, v: string | undefined) => {
    if (v) out.set(k, v);
  };
  set("range", q.range);
  if (!q.range) set("period", q.period === "30d" ? undefined : q.period);
  if (!q.range && q.period === "custom") {
    set("from", q.from?.toISOString());
    set("to", q.to?.toISOString());
  }
  for (const k of ["tenant_id", "site_id", "facility_id", "cluster_id", "zone_id", "version"] as const) set(k, q[k]);
  set("source", q.source === "all" ? undefined : q.source);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) out.delete(k);
    else out.set(k, v);
  }
  return out.toString();
}

export const ObservationPageParams = DashboardQueryParams.extend({
  sort: z.string().max(64).default("interval_start").meta({ description: "A column key (see the CSV header)" }),
  desc: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .meta({ description: "Descending order" }),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const ObservationPageSchema = DashboardQuerySchema.and(
  ObservationPageParams.pick({ sort: true, desc: true, page: true, limit: true }),
);
