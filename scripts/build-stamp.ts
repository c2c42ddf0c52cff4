// Whether `.next` was built from the current sources: a hash of every input of the build.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const INPUT_DIRS = ["app", "components", "lib", "public", "prisma", "types"];
const INPUT_FILES = [
  "package-lock.json",
  "next.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "tsconfig.json",
  "postcss.config.mjs",
];
const SKIP = new Set(["node_modules", ".next", "generated"]);
const STAMP = join(".next", "pib-build-stamp");

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (!entry.endsWith(".test.ts")) out.push(path);
  }
}

export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const d of INPUT_DIRS) walk(join(root, d), files);
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) files.push(join(root, f));
  const hash = createHash("sha256");
  for (const file of files.sort())
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = join(root, STAMP);
  return (
    existsSync(join(root, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === sourceHash(root)
  );
}

export function writeBuildStamp(root = process.cwd()): void {
  writeFileSync(join(root, STAMP), sourceHash(root));
}
