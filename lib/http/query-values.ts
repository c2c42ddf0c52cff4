// Query-string values shared by the filters of every page and API route.
import { z } from "zod";

/** PostgreSQL (through Prisma's ISO text) takes the years 1–9999; JavaScript dates reach ±275760. */
export function isStorableYear(d: Date): boolean {
  const year = d.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/**
 * An optional ISO 8601 date or date-time; empty means absent. A date-time without a zone (as
 * <input type="datetime-local"> sends) is taken as UTC, like a bare date. Years 1–9999 only:
 * JavaScript dates reach back to year −271821, PostgreSQL's only to 4713 BC.
 */
export const optionalInstant = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v}Z` : v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date or date-time" });
      return z.NEVER;
    }
    if (!isStorableYear(d)) {
      ctx.addIssue({ code: "custom", message: "must be between the years 1 and 9999" });
      return z.NEVER;
    }
    return d;
  });
