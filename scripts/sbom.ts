// `npm run sbom [-- OUT]`: a CycloneDX JSON SBOM of the production dependencies (see
// scripts/supply-chain/sbom.ts for what it covers), written to sbom/pilot-in-a-box.cdx.json
// (ignored by git; CI keeps it as an artifact), then checked: valid JSON, CycloneDX, components > 0,
// each with a version and package URL. Run after `npm install`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { checkSbom, nameRoot, reachableOnly, type CycloneDx } from "./supply-chain/sbom";

const out = resolve(process.argv[2] ?? "sbom/pilot-in-a-box.cdx.json");
const run = spawnSync("npm", ["sbom", "--sbom-format", "cyclonedx"], {
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
});
if (run.status !== 0) {
  console.error(`[sbom] npm sbom failed (exit ${run.status}):\n${run.stderr}`);
  process.exit(1);
}
let bom: CycloneDx;
try {
  bom = JSON.parse(run.stdout) as CycloneDx;
} catch (error) {
  console.error(
    `[sbom] npm sbom printed something that is not JSON: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
// The production roots, at the versions installed (the lockfile's top-level entries).
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { version?: string }>;
};
const roots = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).flatMap((name) => {
  const version = lock.packages[`node_modules/${name}`]?.version;
  return version ? [`${name}@${version}`] : [];
});
bom = nameRoot(reachableOnly(bom, roots), pkg);
const problems = checkSbom(bom);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
if (problems.length) {
  console.error(
    `[sbom] ${relative(process.cwd(), out)} is not a usable SBOM:\n  ${problems.slice(0, 20).join("\n  ")}`,
  );
  process.exit(1);
}
console.log(
  `[sbom] ok: ${relative(process.cwd(), out)} — CycloneDX ${bom.specVersion}, ${bom.components!.length} production components of ${pkg.name}@${pkg.version}`,
);
