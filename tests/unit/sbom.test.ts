// `npm run sbom`: a CycloneDX SBOM of exactly the production dependencies, named after the
// package (not the folder it was built in), and a check that refuses an unusable one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSbom, type CycloneDx } from "@/scripts/supply-chain/sbom";
import { REPO_ROOT } from "@/deploy/validate/tools";

const scratch = mkdtempSync(join(tmpdir(), "pib-sbom-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("sbom", () => {
  it("lists every production dependency and no dev dependency", () => {
    const out = join(scratch, "bom.json");
    const run = spawnSync(
      join(REPO_ROOT, "node_modules", ".bin", "tsx"),
      [join(REPO_ROOT, "scripts", "sbom.ts"), out],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[sbom\] ok: .* CycloneDX 1\.\d+, \d+ production components of pilot-in-a-box@/);
    const bom = JSON.parse(readFileSync(out, "utf8")) as Required<CycloneDx>;
    expect(checkSbom(bom)).toEqual([]);
    expect(bom.metadata.component).toMatchObject({ name: "pilot-in-a-box", type: "application" });
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // Scoped packages: CycloneDX puts the scope in `group`.
    const listed = bom.components.map((c) => `${c.group ? `${c.group}/${c.name}` : c.name}@${c.version}`);
    // zod, tsx and @opentelemetry/api are the ones `npm sbom --omit dev` drops (peers of others).
    for (const [name, version] of Object.entries(pkg.dependencies))
      expect(listed, name).toContain(`${name}@${version}`);
    // Dev dependencies that nothing in production needs (the lockfile's "dev": true; @types/pg,
    // for one, is also a dependency of @prisma/adapter-pg and stays in the image).
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; version: string }>;
    };
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev);
    expect(devOnly).toEqual(expect.arrayContaining(["eslint", "vitest", "secretlint", "playwright-core"]));
    for (const name of devOnly)
      expect(listed, name).not.toContain(`${name}@${lock.packages[`node_modules/${name}`]!.version}`);
  }, 120_000);

  it("refuses an SBOM without components, or with components it cannot identify", () => {
    expect(
      checkSbom({ bomFormat: "CycloneDX", specVersion: "1.5", metadata: { component: { name: "x" } }, components: [] }),
    ).toEqual(["no components"]);
    expect(checkSbom({ bomFormat: "SPDX", specVersion: "2.3", metadata: {}, components: [{ name: "a" }] })).toEqual([
      'bomFormat is "SPDX", not "CycloneDX"',
      'specVersion "2.3" is not a CycloneDX 1.x version',
      "metadata.component (the application) has no name",
      "component a@? lacks a name, version or npm package URL",
    ]);
  });
});
