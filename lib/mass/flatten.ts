// JSON documents as pointer → value lines, to show raw and normalized side by side.
export type FlatLine = { pointer: string; value: string };

export function flattenJson(value: unknown, pointer = "", out: FlatLine[] = []): FlatLine[] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.push({ pointer: pointer || "/", value: Array.isArray(value) ? "[]" : "{}" });
    for (const [k, v] of entries) flattenJson(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  } else {
    out.push({ pointer: pointer || "/", value: JSON.stringify(value) ?? "null" });
  }
  return out;
}

/** Pointers whose value differs between the two documents, or that only one of them has. */
export function changedPointers(a: FlatLine[], b: FlatLine[]): Set<string> {
  const left = new Map(a.map((l) => [l.pointer, l.value]));
  const right = new Map(b.map((l) => [l.pointer, l.value]));
  const changed = new Set<string>();
  for (const [p, v] of left) if (right.get(p) !== v) changed.add(p);
  for (const [p, v] of right) if (left.get(p) !== v) changed.add(p);
  return changed;
}
