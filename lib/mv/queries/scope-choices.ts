// The scopes a study may name: the distinct (tenant, site, facility, cluster, zone) combinations
// the tenant's stored data holds, from its ready dataset versions' recorded series and its MASS
// requests' columns (as the dashboard's filter choices, never a scan of the observations).
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export type ScopeTupleRow = {
  tenant_id: string;
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
};

/** Every combination in the principal's tenants (narrowed to `tenantId` when given), sorted. */
export function scopeTuples(principal: Pick<Principal, "tenantIds">, tenantId?: string): Promise<ScopeTupleRow[]> {
  const tenants = tenantId
    ? principal.tenantIds.length === 0 || principal.tenantIds.includes(tenantId)
      ? [tenantId]
      : []
    : principal.tenantIds.length === 0
      ? null
      : principal.tenantIds;
  const where = (column: Prisma.Sql) => (tenants ? Prisma.sql`and ${column} = any(${tenants}::text[])` : Prisma.empty);
  return db().$queryRaw<ScopeTupleRow[]>`
    select distinct a.tenant_id, a.site_id, a.facility_id, a.cluster_id, a.zone_id
      from (select d.tenant_id, x->>'site_id' as site_id, x->>'facility_id' as facility_id,
                   x->>'cluster_id' as cluster_id, x->>'zone_id' as zone_id
              from dataset_version v
              join dataset d on d.id = v.dataset_id
             cross join jsonb_array_elements(v.series) x
             where v.state = 'ready' ${where(Prisma.sql`d.tenant_id`)}
            union
            select m.tenant_id, m.site_id, m.facility_id, m.cluster_id, m.zone_id
              from mass_request m
             where m.deleted_at is null ${where(Prisma.sql`m.tenant_id`)}) a
     where a.site_id is not null and a.tenant_id is not null
     order by 1, 2, 3 nulls first, 4 nulls first, 5 nulls first`;
}
