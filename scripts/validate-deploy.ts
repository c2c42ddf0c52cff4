// `npm run deploy:validate`: checks the deployment assets without Docker or Kubernetes.
// Renders the Helm chart for values-dev/staging/prod (and the chart-managed Secret path, and two
// scale-out cases: 3 replicas or an HPA on CPU, a PDB, external PostgreSQL and Redis) with the
// real helm binary (Helm 4; Helm 3 must render the same), validates every object against Kubernetes' OpenAPI schemas (types, required
// fields, and unknown fields), applies the chart's own rules, checks docker-compose.yml and the
// Dockerfile, and runs promtool over the Prometheus config, the alert rules (and their unit
// tests) and the Grafana dashboard's queries. Exit code 0 when all pass, 1 otherwise.
import { runAllChecks } from "@/deploy/validate/run-checks";
import { HELM3_SOURCE, helmPath, promtoolPath, REPO_ROOT, toolVersion } from "@/deploy/validate/tools";

async function main(): Promise<number> {
  const started = Date.now();
  const helm = helmPath();
  const promtool = promtoolPath();
  console.log(`[deploy:validate] helm: ${toolVersion(helm, ["version", "--short"])} (${helm})`);
  const helm3 = helmPath(HELM3_SOURCE);
  console.log(`[deploy:validate] helm 3: ${toolVersion(helm3, ["version", "--short"])} (${helm3})`);
  console.log(`[deploy:validate] promtool: ${toolVersion(promtool, ["--version"])} (${promtool})`);
  const results = await runAllChecks(REPO_ROOT);
  let failed = 0;
  for (const result of results) {
    const ok = result.problems.length === 0;
    if (!ok) failed += 1;
    console.log(
      `[deploy:validate] ${ok ? "ok  " : "FAIL"} ${result.name}${result.detail ? ` — ${result.detail}` : ""}`,
    );
    for (const p of result.problems) console.log(`    ${p.where}: ${p.message.split("\n").join("\n      ")}`);
  }
  console.log(
    `[deploy:validate] ${failed ? `${failed} of ${results.length} checks failed` : `all ${results.length} checks passed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[deploy:validate] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
