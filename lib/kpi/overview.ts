// Everything the overview shows, for the page and the API alike: the period resolved, the KPIs
// for it and for the previous equal period, and the filter choices available in scope.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import type { DashboardQuery } from "./filter";
import { computeKpis, type Kpis } from "./kpis";
import { previousPeriod, resolvePeriod, scopeOf, scopeSql, type Period, type Scope } from "./scope";

export type Overview = {
  scope: Scope;
  period: Period;
  previous: Period;
  dataEnd: Date | null;
  /** A preset period that ends at the end of the data rather than now (the data stops earlier). */
  anchoredAtDataEnd: boolean;
  current: Kpis;
  before: Kpis;
};

export async function overview(principal: Principal, q: DashboardQuery): Promise<Overview> {
  const scope = scopeOf(principal, q);
  const { dataEnd, ...period } = await resolvePeriod(scope, q);
  const previous = previousPeriod(period);
  const [current, before] = await Promise.all([computeKpis(scope, period), computeKpis(scope, previous)]);
  const anchoredAtDataEnd = q.period !== "custom" && dataEnd !== null && period.to.getTime() === dataEnd.getTime() && Date.now() - dataEnd.getTime() > 3_600_000;
  return { scope, period, previous, dataEnd, anchoredAtDataEnd, current, before };
}

export type FilterChoices = { tenants: string[]; sites: string[]; facilities: string[]; clusters: string[]; zones: string[] };

/** Asset ids present in the principal's scope (source and version applied, asset filters not). */
export async function filterChoices(principal: Principal, q: DashboardQuery): Promise<FilterChoices> {
  const scoped = scopeOf(principal, q);
  const scope = { ...scoped, siteId: undefined, facilityId: undefined, clusterId: undefined, zoneId: undefined };
  const everyTenant = { ...scope, tenantIds: scopeOf(principal, { ...q, tenant_id: undefined }).tenantIds };
  const tenants = await db().$queryRaw<{ tenant_id: string }[]>`select distinct o.tenant_id from observation o where ${scopeSql(everyTenant)} order by 1`;
  const rows = await db().$queryRaw<{ kind: string; value: string }[]>`
    with s as (select distinct o.site_id, o.facility_id, o.cluster_id, o.zone_id from observation o where ${scopeSql(scope)})
    select 'site' as kind, site_id as value from s where site_id is not null
    union select 'facility', facility_id from s where facility_id is not null
    union select 'cluster', cluster_id from s where cluster_id is not null
    union select 'zone', zone_id from s where zone_id is not null
    order by 1, 2`;
  const pick = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { tenants: tenants.map((t) => t.tenant_id), sites: pick("site"), facilities: pick("facility"), clusters: pick("cluster"), zones: pick("zone") };
}

