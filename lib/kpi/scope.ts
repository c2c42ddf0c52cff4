// Which observations the dashboard reads: the principal's tenants, the asset filters, and the
// source — the latest version of every dataset (or one chosen version) and/or live MASS requests
// (tombstoned ones excluded). Every KPI, trend and export query starts from here.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { visibleTenantFilter } from "@/lib/access/tenant-scope";
import { PERIODS, type DashboardQuery } from "./filter";
import { dataEnd } from "./queries/scope";
import { resolveRange } from "./range";

import type { Period, Scope } from "./types";

export type { Period, Scope };

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

/**
 * The period a query names: a relative range resolved at `now`; a preset ends at the end of the
 * data in scope, or now if earlier.
 */
export async function resolvePeriod(
  scope: Scope,
  q: DashboardQuery,
  now = new Date(),
): Promise<Period & { dataEnd: Date | null }> {
  const end = await dataEnd(scope);
  if (q.range) return { ...resolveRange(q.range, now), dataEnd: end };
  if (q.period === "custom") return { from: q.from!, to: q.to!, dataEnd: end };
  const to = end && end < now ? end : now;
  return { from: new Date(to.getTime() - PERIODS[q.period]), to, dataEnd: end };
}

export function previousPeriod(p: Period): Period {
  const length = p.to.getTime() - p.from.getTime();
  return { from: new Date(p.from.getTime() - length), to: p.from };
}
