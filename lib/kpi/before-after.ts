// Before/after: two periods (given, or N days either side of an event), their KPIs side by side,
// and their average profiles by time of day or of week. The comparison is not normalized for load
// or weather — that is what an M&V study is for.
import "server-only";
import { z } from "zod";
import { optionalInstant } from "@/lib/http/query-values";
import { annotations, type Annotation } from "./annotations";
import { DashboardQueryParams } from "./filter";
import { computeKpis, type Kpis } from "./kpis";
import { profileRows } from "./queries/before-after";
import type { Period, Scope } from "./scope";
import { setpointChanges, type SetpointChange } from "./setpoint-changes";
import { computeTrends, type Trends } from "./trends";

export type { SetpointChange };

export const CompareQueryParams = DashboardQueryParams.omit({ period: true, range: true, from: true, to: true }).extend(
  {
    event: optionalInstant.meta({
      description:
        "The change's date-time: compare N days before with N days after (default: the latest detected setpoint change)",
    }),
    days: z.coerce.number().int().min(1).max(365).default(14).meta({ description: "N, with `event`" }),
    before_from: optionalInstant.meta({
      description: "Explicit periods instead of an event: before = [before_from, before_to)",
    }),
    before_to: optionalInstant,
    after_from: optionalInstant,
    after_to: optionalInstant,
    profile: z
      .enum(["day", "week"])
      .default("day")
      .meta({ description: "Overlay the two periods by hour of day or of week (UTC)" }),
  },
);

export const CompareQuerySchema = CompareQueryParams.superRefine((q, ctx) => {
  const explicit = [q.before_from, q.before_to, q.after_from, q.after_to];
  if (explicit.some(Boolean) && !explicit.every(Boolean))
    ctx.addIssue({
      code: "custom",
      path: ["before_from"],
      message: "give all four of before_from, before_to, after_from, after_to, or none",
    });
  if (q.before_from && q.before_to && q.before_to <= q.before_from)
    ctx.addIssue({ code: "custom", path: ["before_to"], message: "must be after before_from" });
  if (q.after_from && q.after_to && q.after_to <= q.after_from)
    ctx.addIssue({ code: "custom", path: ["after_to"], message: "must be after after_from" });
});
export type CompareQuery = z.infer<typeof CompareQuerySchema>;

export type Profile = {
  slot: number;
  beforeFacilityKw: number | null;
  afterFacilityKw: number | null;
  beforePue: number | null;
  afterPue: number | null;
};

async function profile(
  scope: Scope,
  period: Period,
  kind: "day" | "week",
): Promise<Map<number, { kw: number | null; pue: number | null }>> {
  const rows = await profileRows(scope, period, kind);
  return new Map(rows.map((r) => [r.slot, { kw: r.kw, pue: r.pue }]));
}

/** The tenant and assets the numbers are computed on (null: every one visible). */
export type ComparedScope = {
  tenantId: string | null;
  siteId: string | null;
  clusterId: string | null;
  zoneId: string | null;
};

export type Comparison = {
  scope: ComparedScope;
  before: Period;
  after: Period;
  event: SetpointChange | null;
  changes: SetpointChange[];
  kpisBefore: Kpis;
  kpisAfter: Kpis;
  profile: Profile[];
  profileKind: "day" | "week";
  /** Facility power and PUE over both periods (and any gap between), with the events in it marked
   * (when asked for: the page draws them, the API does not return them). */
  trends: Trends | null;
  annotations: Annotation[];
};

/**
 * Around a detected setpoint change, the comparison is scoped to that change's tenant and site
 * when no site is chosen: the event is one site's, and summing every site of every tenant under
 * its label compared the wrong thing (2,248 MWh against 331.8 MWh for the site). A chosen site,
 * cluster or zone is kept as chosen.
 */
export async function compare(
  scope: Scope,
  q: CompareQuery,
  { charts = false }: { charts?: boolean } = {},
): Promise<Comparison | { before: null; changes: SetpointChange[] }> {
  const changes = await setpointChanges(scope);
  let before: Period;
  let after: Period;
  let event: SetpointChange | null = null;
  if (q.before_from && q.before_to && q.after_from && q.after_to) {
    before = { from: q.before_from, to: q.before_to };
    after = { from: q.after_from, to: q.after_to };
  } else {
    const at = q.event ?? changes[0]?.at;
    if (!at) return { before: null, changes };
    event = changes.find((c) => c.at.getTime() === at.getTime() && (!q.site_id || c.site === q.site_id)) ?? null;
    if (event && !scope.siteId) scope = { ...scope, tenantIds: [event.tenant], siteId: event.site };
    const span = q.days * 86_400_000;
    before = { from: new Date(at.getTime() - span), to: at };
    after = { from: at, to: new Date(at.getTime() + span) };
  }
  const span: Period = {
    from: new Date(Math.min(before.from.getTime(), after.from.getTime())),
    to: new Date(Math.max(before.to.getTime(), after.to.getTime())),
  };
  const [kpisBefore, kpisAfter, pb, pa, trends, marks] = await Promise.all([
    computeKpis(scope, before),
    computeKpis(scope, after),
    profile(scope, before, q.profile),
    profile(scope, after, q.profile),
    charts ? computeTrends(scope, span, 300) : null,
    charts ? annotations(scope, span) : [],
  ]);
  const slots = q.profile === "day" ? 24 : 168;
  const profileRows: Profile[] = Array.from({ length: slots }, (_, slot) => ({
    slot,
    beforeFacilityKw: pb.get(slot)?.kw ?? null,
    afterFacilityKw: pa.get(slot)?.kw ?? null,
    beforePue: pb.get(slot)?.pue ?? null,
    afterPue: pa.get(slot)?.pue ?? null,
  }));
  const compared: ComparedScope = {
    tenantId: scope.tenantIds?.length === 1 ? scope.tenantIds[0]! : null,
    siteId: scope.siteId ?? null,
    clusterId: scope.clusterId ?? null,
    zoneId: scope.zoneId ?? null,
  };
  return {
    scope: compared,
    before,
    after,
    event,
    changes,
    kpisBefore,
    kpisAfter,
    profile: profileRows,
    profileKind: q.profile,
    trends,
    annotations: marks,
  };
}
