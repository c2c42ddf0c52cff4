// The colour theme: a cookie the root layout reads on the server to put the class on <html>
// (no inline script, no flash). "system" leaves <html> without a class: app/globals.css then
// follows prefers-color-scheme.
export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = "pib-theme";

/** The theme a cookie value names; anything else (no cookie, a stale value) is "system". */
export function themeOf(value: string | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
}

/** The class <html> carries for a theme. */
export function themeClass(theme: Theme): string | undefined {
  return theme === "system" ? undefined : theme;
}
