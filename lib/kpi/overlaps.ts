// Which source won where sources overlapped: the asset-hours of a period that more than one source
// holds, and per source how many of them it won (counted) and lost (left out), by the rule the KPIs
// apply (queries/rollup-parts.ts). The overview shows it beside the KPIs so an operator sees that,
// and where, two uploads or a MASS reading met, and which one the numbers come from.
import "server-only";
import { overlapRows } from "./queries/overlaps";
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

/**
 * The overlaps resolved in the period's hours (an hour the period only touches counts whole).
 * Sources are ordered by hours won, then lost.
 */
export async function resolvedOverlaps(scope: Scope, period: Period): Promise<Overlaps> {
  const rows = await overlapRows(scope, planRollups(period));
  return {
    // Each contested asset-hour has exactly one winner (ranks are unique per source), so the hours
    // won add up to the contested asset-hours.
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
