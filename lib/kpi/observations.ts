// The filtered observations themselves: a sortable, server-paginated page for the table and how
// many there are. Exports of any size stream the same columns (observation-columns.ts) as CSV that
// PostgreSQL writes (exports.ts, queries/observations.ts).
import "server-only";
import { OBSERVATION_COLUMNS } from "./observation-columns";
import { observationPage, storedObservationCount, type ObservationRow } from "./queries/observations";
import { planRollups } from "./rollup-plan";
import type { Period, Scope } from "./scope";

const BY_KEY = new Map(OBSERVATION_COLUMNS.map((c) => [c.key, c]));

/** How many observations the scope holds in the period (summed from the rollups, exact). */
export async function countObservations(scope: Scope, period: Period): Promise<number> {
  return storedObservationCount(scope, planRollups(period));
}

export async function pageObservations(
  scope: Scope,
  period: Period,
  opts: { sort: string; desc: boolean; page: number; limit: number },
): Promise<ObservationRow[]> {
  const column = BY_KEY.get(opts.sort) ?? BY_KEY.get("interval_start")!;
  return observationPage(scope, period, {
    column,
    desc: opts.desc,
    limit: opts.limit,
    offset: (opts.page - 1) * opts.limit,
  });
}
