// docs/ARCHITECTURE.md is the page a newcomer reads first: it must name every folder of lib/, and
// every path it names must exist, so the page cannot drift from the tree unnoticed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const doc = readFileSync("docs/ARCHITECTURE.md", "utf8");

/** The paths the page names in backticks (placeholders like <name>, globs and elisions aside). */
function namedPaths(text: string): string[] {
  const paths = new Set<string>();
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    for (const token of code!.split(/[\s,()]+/)) {
      const path = token.replace(/[.:;]+$/, "").replace(/\/$/, "");
      if (!/^(lib|app|components|scripts|tests|docs|prisma|deploy)\//.test(path)) continue;
      if (/[<>*…]/.test(path)) continue;
      paths.add(path);
    }
  }
  return [...paths].sort();
}

describe("docs/ARCHITECTURE.md", () => {
  it("names only paths that exist", () => {
    const paths = namedPaths(doc);
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((path) => !existsSync(path))).toEqual([]);
  });

  it("names every folder and top-level module of lib/", () => {
    const entries = readdirSync("lib", { withFileTypes: true })
      .filter((e) => e.name !== "generated" && !e.name.endsWith(".test.ts"))
      .map((e) => `lib/${e.name}`);
    expect(entries.filter((entry) => !doc.includes(`\`${entry}`))).toEqual([]);
  });

  it("finds a path that does not exist (the check can fail)", () => {
    expect(namedPaths("see `lib/kpi/scope.ts`, `lib/nowhere/file.ts` and `app/(dashboard)/<name>/page.tsx`")).toEqual([
      "lib/kpi/scope.ts",
      "lib/nowhere/file.ts",
    ]);
  });
});
