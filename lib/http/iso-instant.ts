// An ISO 8601 date-time with a zone in a request body, normalized to UTC (`…Z`).
import { z } from "zod";
import { isStorableYear } from "./query-values";

/**
 * Years 1–9999, as PostgreSQL stores them. zod runs an overwrite even after the format check failed, so the normalization must not throw:
 * `new Date("").toISOString()` did, and an empty `effective_at` answered 500.
 */
export function isoInstant() {
  return z.iso
    .datetime({ offset: true })
    .overwrite((s) => {
      const d = new Date(s);
      return Number.isNaN(d.getTime()) ? s : d.toISOString();
    })
    .refine((s) => Number.isNaN(Date.parse(s)) || isStorableYear(new Date(s)), "must be between the years 1 and 9999");
}
