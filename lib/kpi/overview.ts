// Everything the overview shows, for the page and the API alike: the period resolved, the KPIs
// for it and for the previous equal period, and the filter choices available in scope.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { listDatasets } from "@/lib/datasets/repo";
import { db } from "@/lib/db";
import type { DashboardQuery } from "./filter";
import { computeKpis, type Kpis } from "./kpis";
import { resolvedOverlaps, type Overlaps } from "./overlaps";
import { computeTrends, type Trends } from "./trends";
import { Prisma } from "@/lib/generated/prisma/client";
import { previousPeriod, resolvePeriod, scopeOf, versionsSql, type Period, type Scope } from "./scope";

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
  const csv = !(scope.source === "mass" && !scope.version);
  const mass = !(scope.source === "csv" || scope.version);
  const massTenant = (ids: string[] | undefined) =>
    ids ? (ids.length === 0 ? Prisma.sql`and false` : Prisma.sql`and m.tenant_id = any(${ids})`) : Prisma.empty;
  const assets = (s: typeof scope) => Prisma.sql`
    ${
      csv
        ? Prisma.sql`select x->>'site_id' as site_id, x->>'facility_id' as facility_id, x->>'cluster_id' as cluster_id, x->>'zone_id' as zone_id, d.tenant_id
      from (${versionsSql(s)}) v join dataset d on d.id = v.dataset_id cross join jsonb_array_elements(v.series) x`
        : Prisma.sql`select null, null, null, null, null where false`
    }
    union
    ${mass ? Prisma.sql`select distinct m.site_id, m.facility_id, m.cluster_id, m.zone_id, m.tenant_id from mass_request m where m.deleted_at is null ${massTenant(s.tenantIds)}` : Prisma.sql`select null, null, null, null, null where false`}`;
  const [tenants, rows] = await Promise.all([
    db().$queryRaw<
      { tenant_id: string }[]
    >`select distinct a.tenant_id from (${assets(everyTenant)}) a where a.tenant_id is not null order by 1`,
    db().$queryRaw<{ kind: string; value: string }[]>`
      with s as (${assets(scope)})
      select 'site' as kind, site_id as value from s where site_id is not null
      union select 'facility', facility_id from s where facility_id is not null
      union select 'cluster', cluster_id from s where cluster_id is not null
      union select 'zone', zone_id from s where zone_id is not null
      order by 1, 2`,
  ]);
  const pick = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return {
    tenants: tenants.map((t) => t.tenant_id),
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
