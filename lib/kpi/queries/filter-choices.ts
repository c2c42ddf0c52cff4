// The filters' choices (overview.ts): the tenants and asset ids a scope's sources hold, from the
// versions' recorded series and the MASS requests' columns — never a scan of the observations.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Scope } from "../types";
import { versionsSql } from "./scope";

export type AssetChoiceRow = { kind: "site" | "facility" | "cluster" | "zone"; value: string };

/**
 * The tenants of `everyTenant` (the scope with every tenant the principal sees) and the sites,
 * facilities, clusters and zones of `scope`, each sorted.
 */
export async function assetChoices(
  scope: Scope,
  everyTenant: Scope,
): Promise<{ tenants: string[]; assets: AssetChoiceRow[] }> {
  const csv = !(scope.source === "mass" && !scope.version);
  const mass = !(scope.source === "csv" || scope.version);
  const massTenant = (ids: string[] | undefined) =>
    ids ? (ids.length === 0 ? Prisma.sql`and false` : Prisma.sql`and m.tenant_id = any(${ids})`) : Prisma.empty;
  const assets = (s: Scope) => Prisma.sql`
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
    db().$queryRaw<AssetChoiceRow[]>`
      with s as (${assets(scope)})
      select 'site' as kind, site_id as value from s where site_id is not null
      union select 'facility', facility_id from s where facility_id is not null
      union select 'cluster', cluster_id from s where cluster_id is not null
      union select 'zone', zone_id from s where zone_id is not null
      order by 1, 2`,
  ]);
  return { tenants: tenants.map((t) => t.tenant_id), assets: rows };
}
