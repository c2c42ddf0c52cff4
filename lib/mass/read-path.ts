/** The value at a path of plain keys in an unknown document, or undefined. */
export function readPath(doc: unknown, path: readonly string[]): unknown {
  let node: unknown = doc;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function pointerOf(path: readonly string[]): string {
  return path.map((p) => `/${p.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
