// What a saved view may hold: one of the pages with a filter bar, and that page's URL filter
// parameters. Anything else in the URL (a page number, a sort, an unknown key) is dropped.
import { z } from "zod";

/** The pages whose filter bar can save a view (a view opens only one of these). */
export const VIEW_PATHS = ["/", "/observations"] as const;

/** The dashboard's filter parameters (lib/kpi/filter.ts) and the filter bar's auto-refresh. */
export const VIEW_FILTER_KEYS = [
  "period",
  "range",
  "from",
  "to",
  "tenant_id",
  "site_id",
  "facility_id",
  "cluster_id",
  "zone_id",
  "version",
  "source",
  "refresh",
] as const;

export const MAX_VIEWS_PER_USER = 50;
const MAX_VALUE_LENGTH = 100;

/**
 * The filter parameters of a query string, in a fixed key order: known keys only, the first value
 * of each, trimmed; empty and over-long values dropped.
 */
export function sanitizeViewParams(query: string): Record<string, string> {
  const given = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const kept: Record<string, string> = {};
  for (const key of VIEW_FILTER_KEYS) {
    const value = given.get(key)?.trim();
    if (value && value.length <= MAX_VALUE_LENGTH) kept[key] = value;
  }
  return kept;
}

/** The URL a view opens. */
export function viewHref(view: { path: string; params: Record<string, string> }): string {
  const query = new URLSearchParams(view.params).toString();
  return query ? `${view.path}?${query}` : view.path;
}

export const SaveViewInput = z.object({
  name: z.string().trim().min(1, "a view needs a name").max(80, "at most 80 characters"),
  path: z.enum(VIEW_PATHS, { error: `must be one of ${VIEW_PATHS.join(", ")}` }),
  query: z.string().max(4000).default(""),
});
/** What the filter bar sends: checked by SaveViewInput before anything is stored. */
export type SaveViewRequest = { name: string; path: string; query?: string };
