// Every deployment check, in the order `npm run deploy:validate` prints them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { isDeepStrictEqual } from "node:util";
import { lintChart, renderChart, RenderError, type K8sObject, type Problem, type RenderOptions } from "./chart";
import { checkCompose } from "./compose";
import { lintDockerfile } from "./dockerfile";
import { strictFieldCheck, validateSchemas } from "./kube-schema";
import {
  checkAlertRules,
  checkAlertTestCoverage,
  checkDashboard,
  checkOtelConfig,
  checkPrometheus,
  checkPromqlSyntax,
  provisionedDatasourceUids,
} from "./observability";
import { checkPolicy, checkScaleOut, type ScaleOutExpectation } from "./policy";
import { HELM3_SOURCE, helmPath } from "./tools";

export type CheckResult = { name: string; problems: Problem[]; detail?: string };

export const CHART_DIR = join("deploy", "helm", "pilot-in-a-box");
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/**
 * Scaled out against an external PostgreSQL and Redis (inline URLs, on ports other than the
 * defaults so egress is seen to follow database.port and redis.port), with a PDB of 2: once with
 * 3 fixed replicas, once with an HPA of 3–10 on CPU.
 */
const SCALE_OUT_BASE = [
  "secrets.authSecret=ci-only-auth-secret-0123456789abcdefghij",
  "secrets.auditHmacKey=ci-only-audit-hmac-key-0123456789abcdefghij",
  "database.url=postgresql://pilot_app:ci-only@pg.db.example.internal:6432/pilot?sslmode=require",
  "database.migrationUrl=postgresql://pilot:ci-only-owner@pg.db.example.internal:6432/pilot?sslmode=require",
  "database.port=6432",
  "redis.url=redis://:ci-only@redis.cache.example.internal:6380",
  "redis.port=6380",
  "podDisruptionBudget.enabled=true",
  "podDisruptionBudget.minAvailable=2",
];
export const SCALE_OUT: { name: string; set: string[]; expected: ScaleOutExpectation }[] = [
  {
    name: "3 replicas",
    set: [...SCALE_OUT_BASE, "autoscaling.enabled=false", "replicaCount=3"],
    expected: { replicas: 3, pdbMinAvailable: 2, databasePort: 6432, redisPort: 6380 },
  },
  {
    name: "HPA 3–10 on CPU",
    set: [
      ...SCALE_OUT_BASE,
      "autoscaling.enabled=true",
      "autoscaling.minReplicas=3",
      "autoscaling.maxReplicas=10",
      "autoscaling.targetCPUUtilizationPercentage=65",
    ],
    expected: { replicas: { min: 3, max: 10 }, pdbMinAvailable: 2, databasePort: 6432, redisPort: 6380 },
  },
];

/** Secrets a values file says exist outside the chart. */
export function externalSecretsOf(valuesFiles: string[]): string[] {
  const names: string[] = [];
  for (const file of valuesFiles) {
    const values = (parse(readFileSync(file, "utf8")) ?? {}) as {
      secrets?: { existingSecret?: string };
      ingress?: { basicAuth?: { existingSecret?: string } };
    };
    if (values.secrets?.existingSecret) names.push(values.secrets.existingSecret);
    if (values.ingress?.basicAuth?.existingSecret) names.push(values.ingress.basicAuth.existingSecret);
  }
  return names;
}

/**
 * lint --strict, template, schema validation and the chart's own rules, for one set of values.
 * `strict: false` leaves the unknown-field check to the caller (to batch it over renders).
 */
export async function checkChart(
  options: RenderOptions & { strict?: boolean; requireDigest?: boolean },
): Promise<{ problems: Problem[]; objects: K8sObject[] }> {
  const lint = lintChart(options);
  if (!lint.ok) return { problems: [{ where: "helm lint --strict", message: lint.output }], objects: [] };
  let objects: K8sObject[];
  try {
    objects = renderChart(options);
  } catch (error) {
    if (error instanceof RenderError)
      return { problems: [{ where: "helm template", message: error.message }], objects: [] };
    throw error;
  }
  const problems = [
    ...(await validateSchemas(objects, { strict: options.strict })),
    ...checkPolicy(objects, {
      externalSecrets: externalSecretsOf(options.valuesFiles ?? []),
      requireDigest: options.requireDigest,
    }),
  ];
  return { problems, objects };
}

/** Helm 3 (still the common client) lints the chart and renders exactly what Helm 4 renders. */
export function compareWithHelm3(chartDir: string, helm4Objects: K8sObject[][]): CheckResult {
  const helmBinary = helmPath(HELM3_SOURCE);
  const problems: Problem[] = [];
  ENVIRONMENTS.forEach((env, i) => {
    const options: RenderOptions = {
      chartDir,
      valuesFiles: [join(chartDir, `values-${env}.yaml`)],
      namespace: `pilot-${env}`,
      helmBinary,
    };
    const lint = lintChart(options);
    if (!lint.ok) return problems.push({ where: `helm 3 lint, values-${env}.yaml`, message: lint.output });
    try {
      if (!isDeepStrictEqual(renderChart(options), helm4Objects[i]))
        problems.push({ where: `values-${env}.yaml`, message: "Helm 3 renders different manifests than Helm 4" });
    } catch (error) {
      problems.push({
        where: `helm 3 template, values-${env}.yaml`,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  return {
    name: `helm chart with Helm ${HELM3_SOURCE.helmVersion}: lint --strict, same manifests as Helm 4`,
    problems,
  };
}

export async function runAllChecks(root: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const chartDir = join(root, CHART_DIR);
  const rendered: { result: CheckResult; objects: K8sObject[] }[] = [];
  for (const env of ENVIRONMENTS) {
    // Production pins its image by digest. values-prod.yaml holds a placeholder of the right shape
    // (scripts/deploy.sh refuses it); here the render is checked for repository@sha256:….
    const { problems, objects } = await checkChart({
      chartDir,
      valuesFiles: [join(chartDir, `values-${env}.yaml`)],
      namespace: `pilot-${env}`,
      strict: false,
      requireDigest: env === "prod",
    });
    rendered.push({
      result: { name: `helm chart, values-${env}.yaml`, problems, detail: objects.map((o) => o.kind).join(", ") },
      objects,
    });
  }
  // The chart-managed Secret path (no existingSecret), with an ingress password from values.
  const inline = await checkChart({
    strict: false,
    chartDir,
    set: [
      "secrets.authSecret=ci-only-auth-secret-0123456789abcdefghij",
      "secrets.auditHmacKey=ci-only-audit-hmac-key-0123456789abcdefghij",
      "database.url=postgresql://pilot_app:ci-only@postgres:5432/pilot",
      "database.migrationUrl=postgresql://pilot:ci-only-owner@postgres:5432/pilot",
      "redis.url=redis://redis:6379",
      "secrets.metricsToken=ci-only-metrics-token",
      "ingress.basicAuth.enabled=true",
      "ingress.basicAuth.htpasswd=pilot:$2y$05$ci.only.not.a.real.hash",
      "autoscaling.enabled=true",
    ],
  });
  rendered.push({
    result: {
      name: "helm chart, values.yaml + inline secrets",
      problems: inline.problems,
      detail: inline.objects.map((o) => o.kind).join(", "),
    },
    objects: inline.objects,
  });
  for (const scale of SCALE_OUT) {
    const { problems, objects } = await checkChart({ chartDir, set: scale.set, strict: false });
    if (objects.length) problems.push(...checkScaleOut(objects, scale.expected));
    rendered.push({
      result: {
        name: `helm chart, scale-out: ${scale.name}, external PostgreSQL and Redis, PDB`,
        problems,
        detail: objects.map((o) => o.kind).join(", "),
      },
      objects,
    });
  }
  // Unknown fields: one TypeScript program over every render, problems back to their render.
  const all = rendered.flatMap((r) => r.objects.map((object) => ({ object, result: r.result })));
  for (const problem of strictFieldCheck(
    all.map((a) => a.object),
    (_, i) => `${i}`,
  )) {
    const owner = all[Number(problem.where)];
    if (owner)
      owner.result.problems.push({
        where: `${owner.object.kind}/${owner.object.metadata.name}`,
        message: problem.message,
      });
    else rendered[0]!.result.problems.push(problem);
  }
  for (const r of rendered) {
    r.result.detail = `${r.objects.length} objects: ${r.result.detail}`;
    results.push(r.result);
  }
  results.push(
    compareWithHelm3(
      chartDir,
      rendered.slice(0, ENVIRONMENTS.length).map((r) => r.objects),
    ),
  );

  results.push({
    name: "docker-compose.yml",
    problems: checkCompose(readFileSync(join(root, "docker-compose.yml"), "utf8"), { root }),
  });
  const dockerignore = join(root, ".dockerignore");
  results.push({
    name: "Dockerfile",
    problems: lintDockerfile(
      readFileSync(join(root, "Dockerfile"), "utf8"),
      existsSync(dockerignore) ? readFileSync(dockerignore, "utf8") : undefined,
    ),
  });

  results.push({
    name: "OpenTelemetry Collector config",
    problems: checkOtelConfig(readFileSync(join(root, "deploy", "otel-collector", "config.yaml"), "utf8")),
  });
  const prometheusDir = join(root, "deploy", "prometheus");
  results.push({
    name: "Prometheus config and alert rules (promtool check config/rules, test rules)",
    problems: [
      ...checkPrometheus(prometheusDir),
      ...checkAlertRules(readFileSync(join(prometheusDir, "alerts.yml"), "utf8")),
      ...checkAlertTestCoverage(
        readFileSync(join(prometheusDir, "alerts.yml"), "utf8"),
        readFileSync(join(prometheusDir, "tests", "alerts.test.yml"), "utf8"),
      ),
    ],
  });
  const grafana = join(root, "deploy", "grafana");
  const uids = provisionedDatasourceUids(
    readFileSync(join(grafana, "provisioning", "datasources", "datasources.yaml"), "utf8"),
  );
  const dashboard = checkDashboard(readFileSync(join(grafana, "dashboards", "pilot-in-a-box.json"), "utf8"), {
    datasourceUids: uids,
  });
  const provider = parse(readFileSync(join(grafana, "provisioning", "dashboards", "dashboards.yaml"), "utf8")) as {
    providers?: { options?: { path?: string } }[];
  };
  const compose = readFileSync(join(root, "docker-compose.yml"), "utf8");
  const providerProblems: Problem[] = (provider.providers ?? []).flatMap((p) =>
    p.options?.path && compose.includes(`./deploy/grafana/dashboards:${p.options.path}`)
      ? []
      : [
          {
            where: "grafana dashboards provider",
            message: `path ${p.options?.path} is not where docker-compose.yml mounts deploy/grafana/dashboards`,
          },
        ],
  );
  results.push({
    name: "Grafana provisioning and dashboard (queries parsed by promtool)",
    problems: [
      ...dashboard.problems,
      ...providerProblems,
      ...(dashboard.exprs.length ? checkPromqlSyntax(dashboard.exprs) : []),
    ],
    detail: `${dashboard.exprs.length} queries`,
  });
  return results;
}
