// Text PostgreSQL refuses: U+0000 (in text and jsonb) and lone UTF-16 surrogates (jsonb rejects the
// `\ud800` escapes JSON.stringify writes for them). A JSON body can carry both as \u escapes and a
// query string NUL as %00; they are found here, at the boundary, rather than as a failed query later.
import { AppError } from "./app-error";
import { jsonPointer } from "./problem";

export type UnstorableText = { pointer: string; code: "nul_character" | "lone_surrogate"; message: string };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(text: string): Omit<UnstorableText, "pointer"> | null {
  if (text.includes("\u0000")) return { code: "nul_character", message: "must not contain the NUL character" };
  if (LONE_SURROGATE.test(text))
    return {
      code: "lone_surrogate",
      message: "must be well-formed Unicode (a lone surrogate escape such as \\ud800 is not a character)",
    };
  return null;
}

type Node = { value: unknown; key: string | null; parent: Node | null };

function pointerOf(node: Node, key?: string): string {
  const path: string[] = key === undefined ? [] : [key];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) path.push(n.key);
  return jsonPointer(path.reverse());
}

/** Where strings or keys of a parsed JSON value hold such text (at most `limit` places). */
export function unstorableText(value: unknown, limit = 20): UnstorableText[] {
  const out: UnstorableText[] = [];
  // Iterative, with paths built only for the places reported: a value may nest deeply.
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === "string") {
      const p = problemOf(v);
      if (p) out.push({ pointer: pointerOf(node), ...p });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: String(i), parent: node });
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v).reverse()) {
        const p = problemOf(k);
        if (p) out.push({ pointer: pointerOf(node, k), ...p });
        else stack.push({ value: child, key: k, parent: node });
      }
    }
  }
  return out.slice(0, limit);
}

/** A 422 naming every such place in a request's body or query, or null when there is none. */
export function unstorableTextError(value: unknown, where: "body" | "query"): AppError | null {
  const found = unstorableText(value);
  if (found.length === 0) return null;
  const count = found.length === 20 ? "at least 20 strings" : `${found.length} string${found.length === 1 ? "" : "s"}`;
  return new AppError("validation_failed", `The request ${where} has ${count} that cannot be stored`, {
    errors: found.map((u) => ({ pointer: u.pointer, detail: u.message, code: u.code })),
  });
}
