// Periods relative to now ("last 6 h", "today", "this month"), resolved to instants when the
// request is answered. Calendar ranges use UTC days, weeks (Monday first) and months: the data
// model has no site time zone, so the page names UTC beside them.
export const RANGES = {
  last_6h: "last 6 h",
  last_24h: "last 24 h",
  today: "today (UTC)",
  yesterday: "yesterday (UTC)",
  this_week: "this week (UTC, from Monday)",
  this_month: "this month (UTC)",
  last_7d: "last 7 days",
  last_30d: "last 30 days",
} as const;
export type RelativeRange = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as [RelativeRange, ...RelativeRange[]];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function utcMidnight(t: Date): number {
  return Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
}

/**
 * The half-open period [from, to) a relative range names at `now`. Ranges that run up to now end
 * at now; "yesterday" ends at today's midnight (UTC).
 */
export function resolveRange(range: RelativeRange, now: Date): { from: Date; to: Date } {
  const t = now.getTime();
  const midnight = utcMidnight(now);
  switch (range) {
    case "last_6h":
      return { from: new Date(t - 6 * HOUR), to: new Date(t) };
    case "last_24h":
      return { from: new Date(t - DAY), to: new Date(t) };
    case "today":
      return { from: new Date(midnight), to: new Date(t) };
    case "yesterday":
      return { from: new Date(midnight - DAY), to: new Date(midnight) };
    case "this_week": {
      // getUTCDay: Sunday 0 … Saturday 6; the week starts on Monday (ISO 8601).
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return { from: new Date(midnight - sinceMonday * DAY), to: new Date(t) };
    }
    case "this_month":
      return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to: new Date(t) };
    case "last_7d":
      return { from: new Date(t - 7 * DAY), to: new Date(t) };
    case "last_30d":
      return { from: new Date(t - 30 * DAY), to: new Date(t) };
  }
}
