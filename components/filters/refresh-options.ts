// The auto-refresh intervals the filter bar offers (seconds, as `refresh=` in the URL), shared by
// the server-rendered filter form and the client control.
export const REFRESH_OPTIONS = [
  ["30", "30 s"],
  ["60", "1 min"],
  ["300", "5 min"],
] as const;

/** The refresh interval a URL value names, in seconds; null for off or anything unknown. */
export function refreshSeconds(value: string | undefined): number | null {
  return REFRESH_OPTIONS.some(([v]) => v === value) ? Number(value) : null;
}
