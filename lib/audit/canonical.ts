// Canonical JSON (keys sorted, no whitespace) so a hash over an event is the same before it is
// written and after it is read back from jsonb, which reorders keys. Built by appending to one
// string (no entry arrays per object): it runs for every MASS document and audit event, and the
// output must never change (stored hashes are compared with it).
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(value.toString());
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
    return out + "]";
  }
  if (typeof value === "object") {
    const object = value as Record<string, unknown>;
    // Code-unit order, as `a < b` compares (the default sort's order for strings).
    const keys = Object.keys(object).sort();
    let out = "{";
    let first = true;
    for (const key of keys) {
      const v = object[key];
      if (v === undefined) continue;
      out += (first ? "" : ",") + JSON.stringify(key) + ":" + canonicalJson(v);
      first = false;
    }
    return out + "}";
  }
  return JSON.stringify(value);
}
