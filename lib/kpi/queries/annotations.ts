// The events marked on the trend charts (annotations.ts), besides setpoint changes: implemented
// recommendations taking effect and dataset versions loaded within a period, in the scope's
// tenants and assets.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Period, Scope } from "../types";

export type ImplementationEvent = {
  at: Date;
  tenant_id: string;
  site_id: string | null;
  category: string;
  rec_id: string;
  applied_value: number | null;
};
export type LoadEvent = { at: Date; tenant_id: string; dataset: string; version: number };

const tenants = (s: Scope, column: string) =>
  s.tenantIds === undefined
    ? Prisma.sql`true`
    : s.tenantIds.length === 0
      ? Prisma.sql`false`
      : Prisma.sql`${Prisma.raw(column)} = any(${s.tenantIds})`;

/** An asset id of the scope on an event that may name none (a site-wide event meets every cluster). */
const meets = (column: string, value: string | undefined) =>
  value === undefined
    ? Prisma.sql`true`
    : Prisma.sql`(${Prisma.raw(column)} is null or ${Prisma.raw(column)} = ${value})`;

/** Recommendations marked implemented whose effect started in [from, to), oldest first. */
export function implementationsIn(scope: Scope, period: Period): Promise<ImplementationEvent[]> {
  // Whatever the source chosen: an implemented change acts on the site a dataset shows too.
  return db().$queryRaw<ImplementationEvent[]>`
    select i.effective_at as at, i.tenant_id, i.site_id, r.category, r.rec_id, i.applied_value
      from recommendation_implementation i
      join recommendation r on r.id = i.recommendation_id
     where ${tenants(scope, "i.tenant_id")}
       and i.outcome = 'implemented'
       and i.effective_at >= ${period.from} and i.effective_at < ${period.to}
       and ${scope.siteId === undefined ? Prisma.sql`true` : Prisma.sql`i.site_id = ${scope.siteId}`}
       and ${meets("i.cluster_id", scope.clusterId)} and ${meets("i.zone_id", scope.zoneId)}
     order by i.effective_at, i.id`;
}

/**
 * Dataset versions loaded (ready) in [from, to) holding a series of the scope's assets, oldest
 * first: the versions of the scope's sources (none for MASS only; the chosen one when a version is
 * chosen).
 */
export function loadsIn(scope: Scope, period: Period): Promise<LoadEvent[]> {
  if (scope.source === "mass" && !scope.version) return Promise.resolve([]);
  const series = (key: string, value: string | undefined) =>
    value === undefined ? Prisma.sql`true` : Prisma.sql`x->>${key} = ${value}`;
  return db().$queryRaw<LoadEvent[]>`
    select v.created_at as at, d.tenant_id, d.name as dataset, v.version
      from dataset_version v
      join dataset d on d.id = v.dataset_id
     where ${tenants(scope, "d.tenant_id")}
       and v.state = 'ready'
       and v.created_at >= ${period.from} and v.created_at < ${period.to}
       and ${scope.version ? Prisma.sql`v.id = ${scope.version}::uuid` : Prisma.sql`true`}
       and exists (select 1 from jsonb_array_elements(v.series) x
                    where ${series("site_id", scope.siteId)} and ${series("facility_id", scope.facilityId)}
                      and ${series("cluster_id", scope.clusterId)} and ${series("zone_id", scope.zoneId)})
     order by v.created_at, v.id`;
}
