// How numbers and instants read wherever a person reads them (pages, charts, PDF reports): English
// digit grouping, a fixed number of decimals, "—" for a value that is not there, times in UTC and
// saying so. CSV exports carry the raw values instead. Pure, for server and client components alike.

/** What a missing value reads as. */
export const NONE = "—";

/** `1,234.5` with exactly `digits` decimals; NONE for null, undefined or a non-finite number. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  // A value that rounds to zero reads 0, never -0.
  const shown = Number(value.toFixed(digits)) === 0 ? 0 : value;
  return shown.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A chart's tick or tooltip value: no decimals from 1,000 up, else at most two (trailing zeros dropped). */
export function formatAxis(value: number): string {
  return value.toLocaleString("en", { maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2 });
}

/** `2026-11-20 14:00` (UTC, to the minute, without the zone's name: for tables that say UTC once). */
export function formatUtcMinute(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 16).replace("T", " ");
}

/** `2026-11-20 14:00 UTC`, or NONE. */
export function formatUtc(at: Date | number | null | undefined): string {
  return at === null || at === undefined ? NONE : `${formatUtcMinute(at)} UTC`;
}

/** `2026-11-20` (the UTC day). */
export function formatUtcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** `0.857`: at most `digits` decimals, trailing zeros dropped (statistics, coefficients); NONE when missing. */
export function formatDecimal(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  const shown = Number(value.toFixed(digits)) === 0 ? 0 : value;
  return shown.toLocaleString("en", { maximumFractionDigits: digits });
}

/** `12.3 %` from a ratio (0.123) with exactly `digits` decimals; NONE when missing. */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NONE;
  return `${formatNumber(ratio * 100, digits)} %`;
}

/** `1,235 kWh` (whole kWh); `signed` writes a gain as `+1,235 kWh`. NONE when missing. */
export function formatKwh(value: number | null | undefined, { signed = false } = {}): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  const text = formatNumber(value, 0);
  return `${signed && value > 0 && text !== "0" ? "+" : ""}${text} kWh`;
}

/** A unit as people write it: a temperature's `C`, `degC` or `celsius` reads `°C` (and F `°F`); others unchanged. */
export function formatUnit(unit: string | null | undefined): string {
  if (!unit) return "";
  const u = unit.trim();
  if (/^(°?\s*c|deg\s*c|degc|celsius)$/i.test(u)) return "°C";
  if (/^(°?\s*f|deg\s*f|degf|fahrenheit)$/i.test(u)) return "°F";
  return u;
}

/** `2026-03-01 14:00 UTC` from an ISO text or instant (no seconds, no milliseconds); NONE when missing or not a date. */
export function formatUtcText(at: string | Date | number | null | undefined): string {
  if (at === null || at === undefined || at === "") return NONE;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : formatUtc(d);
}
