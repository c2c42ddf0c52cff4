// Everything the overview shows, for the page and the API alike: the period resolved, the KPIs
// for it and for the previous equal period, and the filter choices available in scope.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { listDatasets } from "@/lib/datasets/repo";
import type { DashboardQuery } from "./filter";
import { computeKpis, type Kpis } from "./kpis";
import { resolvedOverlaps, type Overlaps } from "./overlaps";
import { assetChoices, type AssetChoiceRow } from "./queries/filter-choices";
import { previousPeriod, resolvePeriod, scopeOf, type Period, type Scope } from "./scope";
import { computeTrends, type Trends } from "./trends";

export type Overview = {
  scope: Scope;
  period: Period;
  previous: Period;
  dataEnd: Date | null;
  /** A preset period that ends at the end of the data rather than now (the data stops earlier). */
  anchoredAtDataEnd: boolean;
  current: Kpis;
  before: Kpis;
  /** Where sources overlapped in the period, which one counted (the current period only). */
  overlaps: Overlaps;
};

export async function overview(principal: Principal, q: DashboardQuery): Promise<Overview> {
  return (await overviewWithTrends(principal, q, null)).overview;
}

/** The overview and, when `points` is given, the trends of the same period, computed side by side. */
export async function overviewWithTrends(
  principal: Principal,
  q: DashboardQuery,
  points: number | null = 400,
): Promise<{ overview: Overview; trends: Trends | null }> {
  const scope = scopeOf(principal, q);
  const { dataEnd, ...period } = await resolvePeriod(scope, q);
  const previous = previousPeriod(period);
  const [current, before, overlaps, trends] = await Promise.all([
    computeKpis(scope, period),
    computeKpis(scope, previous),
    resolvedOverlaps(scope, period),
    points === null ? null : computeTrends(scope, period, points),
  ]);
  const anchoredAtDataEnd =
    !q.range &&
    q.period !== "custom" &&
    dataEnd !== null &&
    period.to.getTime() === dataEnd.getTime() &&
    Date.now() - dataEnd.getTime() > 3_600_000;
  return { overview: { scope, period, previous, dataEnd, anchoredAtDataEnd, current, before, overlaps }, trends };
}

export type FilterChoices = {
  tenants: string[];
  sites: string[];
  facilities: string[];
  clusters: string[];
  zones: string[];
};

/**
 * Asset ids in the principal's scope (source and version applied, asset filters not), from the
 * versions' recorded series and the MASS requests' columns — never a scan of the observations.
 */
export async function filterChoices(principal: Principal, q: DashboardQuery): Promise<FilterChoices> {
  const scope = scopeOf(principal, q);
  const everyTenant = { ...scope, tenantIds: scopeOf(principal, { ...q, tenant_id: undefined }).tenantIds };
  const { tenants, assets } = await assetChoices(scope, everyTenant);
  const pick = (kind: AssetChoiceRow["kind"]) => assets.filter((r) => r.kind === kind).map((r) => r.value);
  return {
    tenants,
    sites: pick("site"),
    facilities: pick("facility"),
    clusters: pick("cluster"),
    zones: pick("zone"),
  };
}

export type VersionChoice = { id: string; label: string };

/** The dataset versions a principal may pick in the filters. */
export async function versionChoices(principal: Principal): Promise<VersionChoice[]> {
  const datasets = await listDatasets(principal);
  return datasets.flatMap((d) =>
    d.versions.map((v) => ({ id: v.id, label: `${d.name} · v${v.version} (${d.tenantId})` })),
  );
}
