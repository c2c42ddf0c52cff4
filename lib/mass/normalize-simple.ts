// The MASS Simple normalizer: any JSON object in, a deterministic normalized object out.
// Strings are trimmed; "true"/"false"/"yes"/"no" (any case) become booleans; a plain decimal
// number string becomes a number when finite and, for integers, within ±2^53 ("007" stays a
// string); keys become snake_case; arrays and objects are normalized recursively.
import { sortKeys } from "./sort-keys";
import type { JsonObject, JsonValue } from "./types";
import { numberFromString } from "./values";

// A Map, not an object literal: "__proto__" or "constructor" must not find Object.prototype's.
const BOOLEANS = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
]);

// Collectors send the same few keys in every document: their snake_case is remembered (a bounded
// map, emptied when full, since keys are the sender's to choose). Five regular expressions per key
// were ~6 % of a batch's CPU.
const SNAKE_CACHE = new Map<string, string>();
const SNAKE_CACHE_MAX = 4_096;

/** "Site ID" → site_id, "clusterId" → cluster_id, "IT-Load (kW)" → it_load_kw. */
export function snakeCase(key: string): string {
  const known = SNAKE_CACHE.get(key);
  if (known !== undefined) return known;
  if (SNAKE_CACHE.size >= SNAKE_CACHE_MAX) SNAKE_CACHE.clear();
  const snake = snakeCaseOf(key);
  SNAKE_CACHE.set(key, snake);
  return snake;
}

function snakeCaseOf(key: string): string {
  const snake = key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
  return snake === "" ? "_" : snake;
}

export function normalizeSimpleValue(value: unknown): JsonValue {
  if (typeof value === "string") {
    const trimmed = value.trim();
    const bool = BOOLEANS.get(trimmed.toLowerCase());
    if (bool !== undefined) return bool;
    return numberFromString(trimmed) ?? trimmed;
  }
  if (Array.isArray(value)) return value.map(normalizeSimpleValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    // Sorted first, so that when two keys collide after snake-casing the result does not depend
    // on the order the sender wrote them in.
    for (const key of Object.keys(value).sort()) {
      const name = snakeCase(key);
      if (name === "__proto__" || name === "constructor" || name === "prototype") continue;
      if (!Object.hasOwn(out, name)) out[name] = normalizeSimpleValue((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean" || value === null) return value;
  return null;
}

export function normalizeSimple(payload: Record<string, unknown>): JsonObject {
  return sortKeys(normalizeSimpleValue(payload)) as JsonObject;
}
