// How deeply a JSON text nests, read without parsing it: JSON.parse builds arbitrarily deep values,
// and every recursive walk afterwards (validation, normalization, JSON.stringify) would then
// overflow the stack on a 1 MB body of brackets.

/** True when the JSON text opens more than `maxDepth` arrays or objects inside one another. */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}
