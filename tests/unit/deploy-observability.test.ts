// The observability assets: collector config, Prometheus config and alert rules (through the
// real promtool, including the rules' own unit tests), Grafana provisioning and dashboard.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAlertRules, checkDashboard, checkOtelConfig, checkPrometheus, checkPromqlSyntax, provisionedDatasourceUids, unknownMetrics } from "@/deploy/validate/observability";
import { promtoolPath, REPO_ROOT } from "@/deploy/validate/tools";

const deploy = join(REPO_ROOT, "deploy");
const read = (...path: string[]) => readFileSync(join(deploy, ...path), "utf8");
const otel = read("otel-collector", "config.yaml");
const dashboardJson = read("grafana", "dashboards", "pilot-in-a-box.json");
const uids = provisionedDatasourceUids(read("grafana", "provisioning", "datasources", "datasources.yaml"));

let scratch: string;
beforeAll(() => {
  promtoolPath(); // unpacked once from Debian's prometheus package and cached
  scratch = mkdtempSync(join(tmpdir(), "pib-observability-test-"));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of deploy/prometheus with alerts.yml changed. */
function prometheusWith(name: string, from: string, to: string): string {
  const dir = join(scratch, name);
  cpSync(join(deploy, "prometheus"), dir, { recursive: true });
  const rules = readFileSync(join(dir, "alerts.yml"), "utf8");
  if (!rules.includes(from)) throw new Error(`alerts.yml has no ${from}`);
  writeFileSync(join(dir, "alerts.yml"), rules.replace(from, to));
  return dir;
}

describe("OpenTelemetry Collector config", () => {
  it("passes: OTLP in on 4317/4318, traces to Jaeger, metrics to Prometheus", () => {
    expect(checkOtelConfig(otel)).toEqual([]);
  });

  it.each([
    ["a pipeline using an undefined exporter", "exporters: [otlp/jaeger, debug]", "exporters: [otlp/tempo, debug]", /uses exporter otlp\/tempo, which is not defined/],
    ["OTLP/HTTP on another port", "endpoint: 0.0.0.0:4318", "endpoint: 0.0.0.0:4319", /OTLP\/HTTP must listen on 4318/],
    ["metrics not exported to Prometheus", "exporters: [prometheus]", "exporters: [debug]", /must export to Prometheus/],
    ["an unknown component type", "  batch:\n", "  bacth:\n", /unknown processor type bacth/],
    ["memory_limiter not first", "processors: [memory_limiter, batch]\n      exporters: [otlp/jaeger", "processors: [batch, memory_limiter]\n      exporters: [otlp/jaeger", /memory_limiter must be the first processor/],
  ])("fails %s", (_, from, to, expected) => {
    expect(otel.includes(from)).toBe(true);
    expect(checkOtelConfig(otel.replace(from, to)).map((p) => p.message).join("\n")).toMatch(expected);
  });
});

describe("Prometheus config and alert rules", () => {
  it("passes promtool check config, check rules and the rules' unit tests", () => {
    expect(checkPrometheus(join(deploy, "prometheus"))).toEqual([]);
    expect(checkAlertRules(read("prometheus", "alerts.yml"))).toEqual([]);
  }, 30_000);

  it("fails a rule whose PromQL does not parse", () => {
    const problems = checkPrometheus(prometheusWith("syntax", "> 0.05", "> > 0.05"));
    expect(problems.map((p) => p.where)).toContain("alerts.yml");
  }, 30_000);

  it("fails when a threshold drifts from the one the rule tests pin (5xx > 5 %)", () => {
    const problems = checkPrometheus(prometheusWith("threshold", "> 0.05", "> 0.5"));
    expect(problems.map((p) => p.where)).toEqual(["tests/alerts.test.yml"]);
    expect(checkAlertRules(readFileSync(join(scratch, "threshold", "alerts.yml"), "utf8")).map((p) => p.message).join("\n")).toMatch(/does not match/);
  }, 30_000);

  it("knows the app's metric names", () => {
    expect(unknownMetrics('sum(rate(pib_http_server_request_duration_seconds_bucket{route="/x"}[5m]))')).toEqual([]);
    expect(unknownMetrics("rate(pib_biocore_calls_total[5m]) + process_resident_memory_bytes")).toEqual([]);
    expect(unknownMetrics("rate(pib_biocore_call_total[5m])")).toEqual(["pib_biocore_call_total"]);
    expect(unknownMetrics("pib_mass_requests_total_bucket")).toEqual(["pib_mass_requests_total_bucket"]);
  });
});

describe("Grafana", () => {
  it("passes: provisioned datasource, panels for every promised view, every query parses", () => {
    expect(uids).toEqual(["prometheus", "jaeger"]);
    const { problems, exprs } = checkDashboard(dashboardJson, { datasourceUids: uids });
    expect(problems).toEqual([]);
    expect(exprs.length).toBeGreaterThan(20);
    expect(checkPromqlSyntax(exprs)).toEqual([]);
  }, 30_000);

  it("fails a dashboard with an unknown metric, a broken query, overlapping panels or a missing view", () => {
    const dashboard = JSON.parse(dashboardJson) as { panels: { id: number; gridPos: { x: number; y: number }; targets?: { expr: string }[] }[] };
    const [first, second] = dashboard.panels.filter((p) => p.targets);
    first!.targets![0]!.expr = "sum(rate(pib_http_requests_total[5m]))";
    second!.targets![0]!.expr = "sum(rate(pib_biocore_calls_total[5m])";
    second!.gridPos = { ...first!.gridPos };
    const { problems, exprs } = checkDashboard(JSON.stringify(dashboard), { datasourceUids: uids });
    const text = problems.map((p) => `${p.where}: ${p.message}`).join("\n");
    expect(text).toMatch(/unknown metric pib_http_requests_total/);
    expect(text).toMatch(/overlaps another panel/);
    expect(text).toMatch(/no 4xx\/5xx panel/);
    expect(checkPromqlSyntax(exprs).length).toBe(1);
    expect(checkDashboard(dashboardJson, { datasourceUids: ["other"] }).problems[0]?.message).toMatch(/datasource prometheus is not provisioned/);
  }, 30_000);
});
