// Checks of the observability assets: the OpenTelemetry Collector config (structure: OTLP in on
// 4317/4318, pipelines that use only defined components, traces to Jaeger, metrics to
// Prometheus), Prometheus config and rules with the real promtool (check config, check rules,
// test rules), and the Grafana provisioning and dashboard (every panel's query parses with
// promtool and names only metrics the app exposes).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Problem } from "./chart";
import { promtoolPath } from "./tools";

/** What GET /api/metrics exposes (docs/OBSERVABILITY.md), plus prom-client's defaults. */
export const APP_METRICS: Record<string, "counter" | "gauge" | "histogram"> = {
  pib_http_server_request_duration_seconds: "histogram",
  pib_mass_requests_total: "counter",
  pib_mass_idempotent_replays_total: "counter",
  pib_dataset_rows_loaded_total: "counter",
  pib_biocore_call_duration_seconds: "histogram",
  pib_biocore_calls_total: "counter",
  pib_biocore_call_attempts_total: "counter",
  pib_biocore_circuit_state: "gauge",
  pib_biocore_cache_total: "counter",
  pib_recommendation_jobs: "gauge",
  pib_recommendation_job_oldest_pending_seconds: "gauge",
  pib_db_pool_connections: "gauge",
  pib_audit_chain_length: "gauge",
};

/** Metric names in a PromQL expression that are not the app's (prom-client defaults and `up` allowed). */
export function unknownMetrics(expr: string): string[] {
  const unknown: string[] = [];
  const withoutLabels = expr.replace(/\{[^}]*\}/g, "{}").replace(/"[^"]*"/g, '""');
  for (const [name] of withoutLabels.matchAll(/\b(pib|process|nodejs)_[a-z0-9_]+\b/g)) {
    if (!name.startsWith("pib_")) continue;
    const base = name.replace(/_(bucket|count|sum)$/, "");
    const kind = APP_METRICS[name] ?? (base !== name ? APP_METRICS[base] : undefined);
    if (!kind || (base !== name && APP_METRICS[name] === undefined && kind !== "histogram")) unknown.push(name);
  }
  return unknown;
}

// ---------------------------------------------------------------- OpenTelemetry Collector ----

const KNOWN_COMPONENTS = {
  receivers: ["otlp", "prometheus", "hostmetrics", "jaeger", "zipkin"],
  processors: [
    "batch",
    "memory_limiter",
    "resource",
    "attributes",
    "filter",
    "transform",
    "resourcedetection",
    "tail_sampling",
    "probabilistic_sampler",
    "k8sattributes",
  ],
  exporters: ["otlp", "otlphttp", "prometheus", "prometheusremotewrite", "debug", "file", "zipkin"],
  extensions: ["health_check", "pprof", "zpages"],
  connectors: ["spanmetrics", "forward", "servicegraph"],
} as const;
type Section = keyof typeof KNOWN_COMPONENTS;

type OtelConfig = Partial<Record<Section, Record<string, Record<string, unknown> | null>>> & {
  service?: {
    extensions?: string[];
    pipelines?: Record<string, { receivers?: string[]; processors?: string[]; exporters?: string[] }>;
  };
};

export function checkOtelConfig(text: string): Problem[] {
  const problems: Problem[] = [];
  const add = (where: string, message: string) => problems.push({ where: `otel-collector ${where}`, message });
  let config: OtelConfig;
  try {
    config = parse(text) as OtelConfig;
  } catch (error) {
    return [
      {
        where: "otel-collector config",
        message: `does not parse: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  for (const section of Object.keys(KNOWN_COMPONENTS) as Section[]) {
    for (const id of Object.keys(config[section] ?? {})) {
      const type = id.split("/")[0]!;
      if (!(KNOWN_COMPONENTS[section] as readonly string[]).includes(type))
        add(`${section}.${id}`, `unknown ${section.slice(0, -1)} type ${type}`);
    }
  }
  const protocols = (config.receivers?.otlp?.protocols ?? {}) as {
    grpc?: { endpoint?: string };
    http?: { endpoint?: string };
  };
  if (!protocols.grpc?.endpoint?.endsWith(":4317")) add("receivers.otlp", "OTLP/gRPC must listen on 4317");
  if (!protocols.http?.endpoint?.endsWith(":4318")) add("receivers.otlp", "OTLP/HTTP must listen on 4318");
  const pipelines = config.service?.pipelines ?? {};
  if (!Object.keys(pipelines).length) add("service", "no pipelines");
  for (const [name, pipeline] of Object.entries(pipelines)) {
    const signal = name.split("/")[0]!;
    if (!["traces", "metrics", "logs"].includes(signal)) add(`service.pipelines.${name}`, `unknown signal ${signal}`);
    if (!pipeline.receivers?.length || !pipeline.exporters?.length)
      add(`service.pipelines.${name}`, "needs receivers and exporters");
    for (const [section, ids] of [
      ["receivers", pipeline.receivers],
      ["processors", pipeline.processors],
      ["exporters", pipeline.exporters],
    ] as const) {
      for (const id of ids ?? []) {
        if (!(id in (config[section] ?? {})) && !(id in (config.connectors ?? {})))
          add(`service.pipelines.${name}`, `uses ${section.slice(0, -1)} ${id}, which is not defined`);
      }
    }
    const processors = pipeline.processors ?? [];
    if (processors.includes("memory_limiter") && processors[0] !== "memory_limiter")
      add(`service.pipelines.${name}`, "memory_limiter must be the first processor");
  }
  for (const id of config.service?.extensions ?? [])
    if (!(id in (config.extensions ?? {}))) add("service.extensions", `${id} is not defined`);
  const traces = pipelines.traces?.exporters ?? [];
  const toJaeger = traces.some(
    (id) =>
      id.startsWith("otlp") &&
      String((config.exporters?.[id] as { endpoint?: string } | null)?.endpoint ?? "").includes("jaeger"),
  );
  if (!toJaeger) add("service.pipelines.traces", "must export to Jaeger over OTLP");
  const metrics = pipelines.metrics?.exporters ?? [];
  if (!metrics.some((id) => id.startsWith("prometheus")))
    add("service.pipelines.metrics", "must export to Prometheus (prometheus or prometheusremotewrite)");
  return problems;
}

// ------------------------------------------------------------------------------ promtool ----

function promtool(args: string[], cwd?: string): { ok: boolean; output: string } {
  const result = spawnSync(promtoolPath(), args, { cwd, encoding: "utf8" });
  if (result.error) throw result.error;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * promtool check config on a copy whose credentials_file points at a scratch token (the real one
 * is a Compose secret, absent here); it also loads and checks the rule files it names.
 */
export function checkPrometheus(dir: string): Problem[] {
  const problems: Problem[] = [];
  const scratch = mkdtempSync(join(tmpdir(), "pib-prometheus-"));
  try {
    const config = parse(readFileSync(join(dir, "prometheus.yml"), "utf8")) as {
      rule_files?: string[];
      scrape_configs?: { authorization?: { credentials_file?: string } }[];
    };
    writeFileSync(join(scratch, "token"), "scratch-token-for-promtool\n");
    for (const job of config.scrape_configs ?? [])
      if (job.authorization?.credentials_file) job.authorization.credentials_file = join(scratch, "token");
    writeFileSync(join(scratch, "prometheus.yml"), stringify(config));
    for (const rules of config.rule_files ?? []) copyFileSync(join(dir, rules), join(scratch, rules));
    const checked = promtool(["check", "config", join(scratch, "prometheus.yml")]);
    if (!checked.ok) problems.push({ where: "prometheus.yml", message: checked.output });
    const rules = promtool(["check", "rules", join(dir, "alerts.yml")]);
    if (!rules.ok) problems.push({ where: "alerts.yml", message: rules.output });
    const tests = promtool(["test", "rules", join(dir, "tests", "alerts.test.yml")]);
    if (!tests.ok) problems.push({ where: "tests/alerts.test.yml", message: tests.output });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return problems;
}

export function checkAlertRules(text: string): Problem[] {
  const problems: Problem[] = [];
  const doc = parse(text) as { groups?: { rules?: { alert?: string; expr?: string; for?: string }[] }[] };
  const rules = (doc.groups ?? []).flatMap((g) => g.rules ?? []);
  const byName = new Map(rules.filter((r) => r.alert).map((r) => [r.alert!, r]));
  const expect = (name: string, parts: RegExp[], forAtLeast?: string) => {
    const rule = byName.get(name);
    if (!rule) return problems.push({ where: "alerts.yml", message: `alert ${name} is missing` });
    for (const part of parts)
      if (!part.test(rule.expr ?? ""))
        problems.push({ where: `alerts.yml ${name}`, message: `expr does not match ${part}` });
    if (forAtLeast && rule.for !== forAtLeast)
      problems.push({ where: `alerts.yml ${name}`, message: `expected for: ${forAtLeast}` });
  };
  // The minimum-traffic guard: the ratio and the p99 only count at ≥ 0.2 requests/s.
  const trafficGuard =
    /\band\s+sum\(rate\(pib_http_server_request_duration_seconds_count\{route!~"[^"]*"\}\[5m\]\)\)\s*>=\s*0\.2\b/;
  // Every HTTP series these rules read leaves out probes, scrapes and static files (the histogram counts every request).
  const withoutProbes = (expr: string) =>
    [...expr.matchAll(/pib_http_server_request_duration_seconds_(?:count|bucket)(\{[^}]*\})?/g)].every((m) =>
      /route!~"\/api\/health\|\/api\/ready\|\/api\/metrics\|\/_next\/\.\*"/.test(m[1] ?? ""),
    );
  for (const name of ["PibHttp5xxRatioHigh", "PibHttpLatencyP95High", "PibHttpLatencyP99High"]) {
    const rule = byName.get(name);
    if (rule && !withoutProbes(rule.expr ?? ""))
      problems.push({
        where: `alerts.yml ${name}`,
        message: "an HTTP series without the route!~ exclusion of probes, scrapes and static files",
      });
  }
  expect("PibHttp5xxRatioHigh", [/status=~"5\.\."/, /\[5m\]/, />\s*0\.05\b/, trafficGuard]);
  expect("PibHttpLatencyP95High", [/histogram_quantile\(0\.95/, />\s*0\.8\b/], "10m");
  expect("PibHttpLatencyP99High", [/histogram_quantile\(0\.99/, /\)\s*>\s*2\.5\b/, trafficGuard], "10m");
  expect("PibBiocoreFailureRatioHigh", [/outcome="error"/, />\s*0\.10?\b/]);
  expect("PibRecommendationJobsFailed", [/pib_recommendation_jobs\{status="failed"\}/, /offset 1h\)\s*>\s*0\b/]);
  expect("PibDbPoolClientsWaiting", [/pib_db_pool_connections\{state="waiting"\}/, /\[5m\]/, />=\s*1\b/], "10m");
  for (const rule of rules) {
    for (const name of unknownMetrics(rule.expr ?? ""))
      problems.push({ where: `alerts.yml ${rule.alert}`, message: `unknown metric ${name}` });
  }
  return problems;
}

type RuleTest = { alert_rule_test?: { alertname?: string; exp_alerts?: unknown[] }[] };

/**
 * Every alert of alerts.yml has a unit test in which it fires and one in which it stays silent
 * (exp_alerts non-empty and empty); a test of an alert that does not exist is a mistake too.
 */
export function checkAlertTestCoverage(rulesText: string, testsText: string): Problem[] {
  const rules = (parse(rulesText) as { groups?: { rules?: { alert?: string }[] }[] }).groups ?? [];
  const alerts = rules.flatMap((g) => g.rules ?? []).flatMap((r) => (r.alert ? [r.alert] : []));
  const cases = ((parse(testsText) as { tests?: RuleTest[] }).tests ?? []).flatMap((t) => t.alert_rule_test ?? []);
  const problems: Problem[] = [];
  for (const alert of alerts) {
    const own = cases.filter((c) => c.alertname === alert);
    if (!own.some((c) => (c.exp_alerts ?? []).length > 0))
      problems.push({ where: "tests/alerts.test.yml", message: `no test in which ${alert} fires` });
    if (!own.some((c) => (c.exp_alerts ?? []).length === 0))
      problems.push({ where: "tests/alerts.test.yml", message: `no test in which ${alert} stays silent` });
  }
  for (const name of new Set(cases.map((c) => c.alertname ?? "(none)"))) {
    if (!alerts.includes(name))
      problems.push({ where: "tests/alerts.test.yml", message: `tests ${name}, which alerts.yml does not define` });
  }
  return problems;
}

// ------------------------------------------------------------------------------- Grafana ----

type Panel = {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
};

export function checkDashboard(
  json: string,
  options: { datasourceUids: string[] },
): { problems: Problem[]; exprs: string[] } {
  const problems: Problem[] = [];
  const exprs: string[] = [];
  let dashboard: { uid?: string; title?: string; panels?: Panel[] };
  try {
    dashboard = JSON.parse(json) as typeof dashboard;
  } catch (error) {
    return {
      problems: [
        { where: "dashboard", message: `not JSON: ${error instanceof Error ? error.message : String(error)}` },
      ],
      exprs,
    };
  }
  if (!dashboard.uid || !dashboard.title) problems.push({ where: "dashboard", message: "needs a uid and a title" });
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const panel of panels) {
    const where = `dashboard panel "${panel.title ?? panel.id}"`;
    if (typeof panel.id !== "number" || ids.has(panel.id))
      problems.push({ where, message: "needs a unique numeric id" });
    ids.add(panel.id ?? -1);
    const g = panel.gridPos;
    if (!g || g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.h < 1)
      problems.push({ where, message: "gridPos outside the 24-column grid" });
    else {
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          const cell = `${x},${y}`;
          if (cells.has(cell)) {
            problems.push({ where, message: `overlaps another panel at ${cell}` });
            x = 99;
            break;
          }
          cells.add(cell);
        }
    }
    if (panel.type === "row") continue;
    if (!panel.targets?.length) problems.push({ where, message: "has no query" });
    for (const target of panel.targets ?? []) {
      const uid = target.datasource?.uid ?? panel.datasource?.uid;
      if (!uid || !options.datasourceUids.includes(uid))
        problems.push({ where, message: `datasource ${uid} is not provisioned` });
      if (!target.expr) {
        problems.push({ where, message: "a query without expr" });
        continue;
      }
      exprs.push(target.expr);
      for (const name of unknownMetrics(target.expr)) problems.push({ where, message: `unknown metric ${name}` });
    }
  }
  const all = exprs.join("\n");
  for (const [metric, what] of [
    ["pib_http_server_request_duration_seconds_count", "request rate"],
    ["pib_http_server_request_duration_seconds_bucket", "latency percentiles"],
    ["pib_mass_requests_total", "ingestion rate"],
    ["pib_dataset_rows_loaded_total", "dataset rows"],
    ["pib_biocore_calls_total", "BioCore health"],
    ["pib_biocore_call_duration_seconds_bucket", "BioCore latency"],
    ["pib_biocore_circuit_state", "BioCore circuit"],
    ["pib_recommendation_jobs", "job queue depth"],
    ["pib_recommendation_job_oldest_pending_seconds", "job age"],
  ] as const) {
    if (!all.includes(metric)) problems.push({ where: "dashboard", message: `no panel shows ${what} (${metric})` });
  }
  for (const q of ["0.5", "0.95", "0.99"])
    if (!all.includes(`histogram_quantile(${q}`))
      problems.push({ where: "dashboard", message: `no p${Number(q) * 100} latency panel` });
  if (!/status=~"4\.\."/.test(all) || !/status=~"5\.\."/.test(all))
    problems.push({ where: "dashboard", message: "no 4xx/5xx panel" });
  return { problems, exprs };
}

/** Every dashboard query parses as PromQL: promtool checks them as recording rules. */
export function checkPromqlSyntax(exprs: string[]): Problem[] {
  const scratch = mkdtempSync(join(tmpdir(), "pib-promql-"));
  try {
    const rules = exprs.map((expr, i) => ({
      record: `pib_dashboard:query_${i}`,
      expr: expr.replaceAll("$__rate_interval", "5m").replaceAll("$__interval", "1m").replaceAll("$__range", "1h"),
    }));
    const file = join(scratch, "dashboard-queries.yml");
    writeFileSync(file, stringify({ groups: [{ name: "dashboard", rules }] }));
    const result = promtool(["check", "rules", file]);
    return result.ok ? [] : [{ where: "dashboard queries", message: result.output }];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function provisionedDatasourceUids(text: string): string[] {
  const doc = parse(text) as { datasources?: { uid?: string }[] };
  return (doc.datasources ?? []).map((d) => d.uid).filter((u): u is string => !!u);
}
