// The CycloneDX SBOM: `npm sbom` (npm ≥ 10) over the installed tree, production dependencies
// only — what the image ships (the Dockerfile prunes dev dependencies). Dev tools (eslint, vitest,
// playwright) never run in production; their risk is the build machine's. The installed tree
// rather than the lockfile: the lockfile also lists other platforms' optional binaries that are
// never installed.
//
// Not `npm sbom --omit dev`: npm 11.19 drops production dependencies that some package also
// declares as a peer (here zod, tsx and @opentelemetry/api went missing). The full SBOM's own
// dependency graph is walked from the production dependencies instead.

export type CycloneDx = {
  bomFormat?: string;
  specVersion?: string;
  metadata?: { component?: { name?: string; version?: string; type?: string; "bom-ref"?: string } };
  components?: { "bom-ref"?: string; group?: string; name?: string; version?: string; purl?: string }[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
};

/** The components reachable from the given root references (name@version) in the SBOM's graph. */
export function reachableOnly(bom: CycloneDx, roots: string[]): CycloneDx {
  const edges = new Map((bom.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
  const keep = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const ref = queue.pop()!;
    if (keep.has(ref)) continue;
    keep.add(ref);
    queue.push(...(edges.get(ref) ?? []));
  }
  const root = bom.metadata?.component?.["bom-ref"];
  return {
    ...bom,
    components: (bom.components ?? []).filter((c) => keep.has(c["bom-ref"] ?? "")),
    dependencies: (bom.dependencies ?? [])
      .filter((d) => keep.has(d.ref) || d.ref === root)
      .map((d) => ({ ...d, dependsOn: (d.dependsOn ?? []).filter((r) => keep.has(r)) })),
  };
}

/** npm names the root after its folder (a clone in "wt-x" would be "wt-x"): name it as package.json does. */
export function nameRoot(bom: CycloneDx, pkg: { name: string; version: string }): CycloneDx {
  return {
    ...bom,
    metadata: {
      ...bom.metadata,
      component: { ...bom.metadata?.component, name: pkg.name, version: pkg.version, type: "application" },
    },
  };
}

/** What makes the SBOM usable: the format, and components with name, version and package URL. */
export function checkSbom(bom: CycloneDx): string[] {
  const problems: string[] = [];
  if (bom.bomFormat !== "CycloneDX") problems.push(`bomFormat is ${JSON.stringify(bom.bomFormat)}, not "CycloneDX"`);
  if (!/^1\.\d+$/.test(bom.specVersion ?? ""))
    problems.push(`specVersion ${JSON.stringify(bom.specVersion)} is not a CycloneDX 1.x version`);
  if (!bom.metadata?.component?.name) problems.push("metadata.component (the application) has no name");
  const components = Array.isArray(bom.components) ? bom.components : [];
  if (!components.length) problems.push("no components");
  for (const c of components) {
    if (!c.name || !c.version || !c.purl?.startsWith("pkg:npm/"))
      problems.push(`component ${c.name ?? "(unnamed)"}@${c.version ?? "?"} lacks a name, version or npm package URL`);
  }
  return problems;
}
