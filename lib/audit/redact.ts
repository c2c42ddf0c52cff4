// Audit inputs never hold credentials: values under credential keys, and values shaped like a
// credential, are replaced at any depth (lib/secret-keys.ts says which).
import { isSecretKey, redactSecretValue } from "@/lib/secret-keys";

const MAX_STRING = 2_000;
const MAX_DEPTH = 8;

export function redactForAudit(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (depth > MAX_DEPTH) return "[truncated]";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") {
    const safe = redactSecretValue(value);
    return safe.length > MAX_STRING ? `${safe.slice(0, MAX_STRING)}…` : safe;
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactForAudit(v, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[key] = isSecretKey(key) ? "[redacted]" : redactForAudit(v, depth + 1);
    }
    return out;
  }
  return String(value);
}
