// Which observations the dashboard reads: the principal's tenants, the asset filters, and the
// source — the latest version of every dataset (or one chosen version) and/or live MASS requests
// (tombstoned ones excluded). Every KPI, trend and export query starts from here.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { visibleTenantFilter } from "@/lib/auth/tenant-scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { PERIODS, type DashboardQuery } from "./filter";

export type Scope = {
  tenantIds: string[] | undefined;
  siteId?: string;
  facilityId?: string;
  clusterId?: string;
  zoneId?: string;
  version?: string;
  source: "all" | "csv" | "mass";
};

export type Period = { from: Date; to: Date };

export function scopeOf(principal: Principal, q: DashboardQuery): Scope {
  return {
    tenantIds: visibleTenantFilter(principal, q.tenant_id ? [q.tenant_id.toLowerCase()] : undefined),
    siteId: q.site_id,
    facilityId: q.facility_id,
    clusterId: q.cluster_id,
    zoneId: q.zone_id,
    version: q.version,
    source: q.source,
  };
}

/** SQL conditions on `o` (an observation) for the scope, without the period. */
export function scopeSql(s: Scope): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (s.tenantIds) parts.push(s.tenantIds.length === 0 ? Prisma.sql`false` : Prisma.sql`o.tenant_id = any(${s.tenantIds})`);
  if (s.siteId) parts.push(Prisma.sql`o.site_id = ${s.siteId}`);
  if (s.facilityId) parts.push(Prisma.sql`o.facility_id = ${s.facilityId}`);
  if (s.clusterId) parts.push(Prisma.sql`o.cluster_id = ${s.clusterId}`);
  if (s.zoneId) parts.push(Prisma.sql`o.zone_id = ${s.zoneId}`);
  const csv = s.version
    ? Prisma.sql`o.dataset_version_id = ${s.version}::uuid`
    : Prisma.sql`o.dataset_version_id in (select distinct on (dataset_id) id from dataset_version where state = 'ready' order by dataset_id, version desc)`;
  const mass = Prisma.sql`(o.mass_request_id is not null and o.deleted_at is null)`;
  if (s.version || s.source === "csv") parts.push(csv);
  else if (s.source === "mass") parts.push(mass);
  else parts.push(Prisma.sql`(${csv} or ${mass})`);
  return Prisma.join(parts, " and ");
}

/** The period a query names: a preset ends at the end of the data in scope, or now if earlier. */
export async function resolvePeriod(scope: Scope, q: DashboardQuery, now = new Date()): Promise<Period & { dataEnd: Date | null }> {
  const end = (await db().$queryRaw<{ end: Date | null }[]>`select max(o.interval_end) as end from observation o where ${scopeSql(scope)}`)[0]?.end ?? null;
  if (q.period === "custom") return { from: q.from!, to: q.to!, dataEnd: end };
  const to = end && end < now ? end : now;
  return { from: new Date(to.getTime() - PERIODS[q.period]), to, dataEnd: end };
}

export function previousPeriod(p: Period): Period {
  const length = p.to.getTime() - p.from.getTime();
  return { from: new Date(p.from.getTime() - length), to: p.from };
}
