// Value rules shared by the enterprise and simple normalizers.

// A plain decimal number, as MASS Simple defines it (no leading zeros, so "007" stays a string).
// eslint-disable-next-line security/detect-unsafe-regex -- anchored, optional groups separated by literals ('.', 'e'): linear
export const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** The number a numeric string stands for, or undefined when it is not one by the contract's rule. */
export function numberFromString(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 53) return undefined;
  return value;
}

/** A number, or a numeric string's number; undefined for anything else. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string") return numberFromString(value);
  return undefined;
}

// eslint-disable-next-line security/detect-unsafe-regex -- anchored, optional groups separated by literals: linear
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A timestamp as the contract accepts it (ISO 8601 with an offset, or epoch seconds or
 * milliseconds) as a Date, or undefined. Epoch values above 10^11 are taken as milliseconds.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === "string" && ISO_WITH_ZONE.test(value.trim())) ms = Date.parse(value.trim());
  else {
    const n = asNumber(value);
    if (n !== undefined && n >= 0) ms = n > 1e11 ? n : n * 1000;
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Whether an instant can be stored and read back as ISO 8601: UTC years 1 to 9999. PostgreSQL holds
 * wider dates, but year 0 and five-digit years have no plain ISO 8601 form, and the monthly
 * partition of a reading is named by its year (a 500 at insert, before validation refused them).
 */
export function storableInstant(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999;
}
export const STORABLE_INSTANT_RULE = "must fall between the years 1 and 9999 (UTC)";

/** UTC, second precision: YYYY-MM-DDTHH:MM:SSZ. */
export function utcSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Rounds away binary noise from unit conversions (12 significant digits), keeping the result stable. */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
