import type { JsonValue } from "./types";

/** A copy with object keys in code-point order at every depth (undefined members dropped). */
export function sortKeys(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // defineProperty: a key named "__proto__" stays data instead of replacing the prototype.
      if (v !== undefined)
        Object.defineProperty(out, key, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value as JsonValue;
}
