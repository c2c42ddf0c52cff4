// The contract's limits on free-form payloads (enterprise `payload`, MASS Simple `payload`).
/** Depth, key-count and size limits shared with the enterprise `payload`. */
export function payloadLimitProblems(payload: unknown): string[] {
  let keys = 0;
  let deepest = 0;
  const walk = (node: unknown, depth: number) => {
    deepest = Math.max(deepest, depth);
    if (depth > 64) return;
    if (Array.isArray(node)) for (const v of node) walk(v, depth + 1);
    else if (node && typeof node === "object") {
      for (const v of Object.values(node)) {
        keys += 1;
        walk(v, depth + 1);
      }
    }
  };
  walk(payload, 1);
  const problems: string[] = [];
  if (deepest > 8) problems.push("may nest at most 8 levels");
  if (keys > 1000) problems.push("may hold at most 1,000 keys");
  if (Buffer.byteLength(JSON.stringify(payload)) > 64 * 1024) problems.push("may be at most 64 KiB");
  return problems;
}
