// Which source won where sources overlapped: the asset-hours of a period that more than one source
// holds, and per source how many of them it won (counted) and lost (left out), by the rule the KPIs
// apply (rollup-parts.ts). The overview shows it beside the KPIs so an operator sees that, and
// where, two uploads or a MASS reading met, and which one the numbers come from.
import "server-only";
import { db } from "@/lib/db";
import { resolutionSql } from "./rollup-parts";
import { planRollups } from "./rollup-plan";
import type { Period, Scope } from "./scope";

export type OverlapSource = {
  /** null: live MASS readings. */
  datasetVersionId: string | null;
  /** The version page's address parts; null for MASS. */
  datasetId: string | null;
  version: number | null;
  label: string;
  tenantId: string;
  wonHours: number;
  lostHours: number;
};
export type Overlaps = { assetHours: number; sources: OverlapSource[] };

type Row = {
  tenant_id: string;
  dataset_version_id: string | null;
  dataset_id: string | null;
  dataset: string | null;
  version: number | null;
  won: number;
  lost: number;
};

/**
 * The overlaps resolved in the period's hours (an hour the period only touches counts whole).
 * Sources are ordered by hours won, then lost.
 */
export async function resolvedOverlaps(scope: Scope, period: Period): Promise<Overlaps> {
  const plan = planRollups(period);
  const { ctes } = resolutionSql(scope, plan);
  // Each contested asset-hour has exactly one winner (ranks are unique per source), so the hours
  // won add up to the contested asset-hours.
  const rows = await db().$queryRaw<Row[]>`
      ${ctes}
      select h.tenant_id, h.dataset_version_id::text as dataset_version_id, d.id::text as dataset_id, d.name as dataset, v.version,
             count(*) filter (where h.rank = h.top)::int as won, count(*) filter (where h.rank <> h.top)::int as lost
        from ranked h
        left join dataset_version v on v.id = h.dataset_version_id
        left join dataset d on d.id = v.dataset_id
       where h.sources > 1
       group by 1, 2, 3, 4, 5
       order by won desc, lost desc, 4, 5`;
  return {
    assetHours: rows.reduce((n, r) => n + r.won, 0),
    sources: rows.map((r) => ({
      datasetVersionId: r.dataset_version_id,
      datasetId: r.dataset_id,
      version: r.version,
      label: r.dataset_version_id === null ? "MASS readings" : `"${r.dataset}" v${r.version}`,
      tenantId: r.tenant_id,
      wonHours: r.won,
      lostHours: r.lost,
    })),
  };
}
