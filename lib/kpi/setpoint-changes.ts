// Cooling-setpoint changes in scope, latest first: a row whose setpoint differs from the series'
// previous row that had one. Scanning every row for this took tens of seconds at ten million
// observations, so the day rollups (each day's lowest and highest setpoint) point at the days
// where a change can be — a day whose setpoint varies, or whose setpoint differs from, or follows
// a varying, previous day with one — and only those days (with the end of the day before, for
// the previous value) are read raw, newest first, until enough changes are found.
import "server-only";
import { changesOn, setpointCandidates, type SetpointChange } from "./queries/setpoint-changes";
import type { Scope } from "./scope";

export type { SetpointChange };

const DAYS_PER_BATCH = 32;

export async function setpointChanges(scope: Scope, limit = 10): Promise<SetpointChange[]> {
  const candidates = await setpointCandidates(scope);
  const found: SetpointChange[] = [];
  const days = [...new Set(candidates.map((c) => c.day.getTime()))];
  // Newest days first; a batch's changes are all later than the next batch's, so stopping once
  // `limit` (time, tenant, site) triples are found gives the same answer as reading everything.
  for (let i = 0; i < days.length && found.length < limit; i += DAYS_PER_BATCH) {
    const batch = new Set(days.slice(i, i + DAYS_PER_BATCH));
    found.push(
      ...(await changesOn(
        scope,
        candidates.filter((c) => batch.has(c.day.getTime())),
      )),
    );
  }
  return found.slice(0, limit);
}
