// The audit panel's filters: parsed from URL search params by the page, the API and the exports.
import { z } from "zod";
import { optionalInstant } from "@/lib/http/query-values";

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
export const AuditFilterSchema = z.object({
  from: optionalInstant,
  to: optionalInstant,
  action: optionalText,
  actor: optionalText,
  result: z
    .enum(["ok", "denied", "error"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  target_type: optionalText,
  target_id: optionalText,
  tenant_id: optionalText,
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditPageSchema = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, "must be a sequence number")
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * URLSearchParams or a Next.js searchParams object as plain key → first value. Empty values are
 * dropped: a GET filter form sends every field, and an empty one means "no filter".
 */
export function firstValues(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries =
    params instanceof URLSearchParams
      ? [...params]
      : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v] as const);
  for (const [k, v] of entries) if (v !== undefined && v !== "" && !Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** The filter as a query string, for links (exports, pagination) that keep the same view. */
export function auditFilterToQuery(filter: AuditFilter): string {
  const q = new URLSearchParams();
  if (filter.from) q.set("from", filter.from.toISOString());
  if (filter.to) q.set("to", filter.to.toISOString());
  for (const key of ["action", "actor", "result", "target_type", "target_id", "tenant_id"] as const) {
    const v = filter[key];
    if (v) q.set(key, v);
  }
  return q.toString();
}
