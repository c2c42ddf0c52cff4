// The observability assets: collector config, Prometheus config and alert rules (through the
// real promtool, including the rules' own unit tests), Grafana provisioning and dashboard.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  checkAlertRules,
  checkAlertTestCoverage,
  checkDashboard,
  checkOtelConfig,
  checkPrometheus,
  checkPromqlSyntax,
  provisionedDatasourceUids,
  unknownMetrics,
} from "@/deploy/validate/observability";
import { promtoolPath, REPO_ROOT } from "@/deploy/validate/tools";

const deploy = join(REPO_ROOT, "deploy");
const read = (...path: string[]) => readFileSync(join(deploy, ...path), "utf8");
const otel = read("otel-collector", "config.yaml");
const dashboardJson = read("grafana", "dashboards", "pilot-in-a-box.json");
const uids = provisionedDatasourceUids(read("grafana", "provisioning", "datasources", "datasources.yaml"));
const alertRules = read("prometheus", "alerts.yml");
const alertTests = read("prometheus", "tests", "alerts.test.yml");

let scratch: string;
beforeAll(() => {
  promtoolPath(); // unpacked once from Debian's prometheus package and cached
  scratch = mkdtempSync(join(tmpdir(), "pib-observability-test-"));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of deploy/prometheus with alerts.yml changed. */
function prometheusWith(name: string, from: string | RegExp, to: string): string {
  const dir = join(scratch, name);
  cpSync(join(deploy, "prometheus"), dir, { recursive: true });
  const rules = readFileSync(join(dir, "alerts.yml"), "utf8");
  if (typeof from === "string" ? !rules.includes(from) : !from.test(rules))
    throw new Error(`alerts.yml has no ${from}`);
  writeFileSync(
    join(dir, "alerts.yml"),
    typeof from === "string" ? rules.replace(from, to) : rules.replaceAll(from, to),
  );
  return dir;
}

describe("OpenTelemetry Collector config", () => {
  it("passes: OTLP in on 4317/4318, traces to Jaeger, metrics to Prometheus", () => {
    expect(checkOtelConfig(otel)).toEqual([]);
  });

  it.each([
    [
      "a pipeline using an undefined exporter",
      "exporters: [otlp/jaeger, debug]",
      "exporters: [otlp/tempo, debug]",
      /uses exporter otlp\/tempo, which is not defined/,
    ],
    ["OTLP/HTTP on another port", "endpoint: 0.0.0.0:4318", "endpoint: 0.0.0.0:4319", /OTLP\/HTTP must listen on 4318/],
    [
      "metrics not exported to Prometheus",
      "exporters: [prometheus]",
      "exporters: [debug]",
      /must export to Prometheus/,
    ],
    ["an unknown component type", "  batch:\n", "  bacth:\n", /unknown processor type bacth/],
    [
      "memory_limiter not first",
      "processors: [memory_limiter, batch]\n      exporters: [otlp/jaeger",
      "processors: [batch, memory_limiter]\n      exporters: [otlp/jaeger",
      /memory_limiter must be the first processor/,
    ],
  ])("fails %s", (_, from, to, expected) => {
    expect(otel.includes(from)).toBe(true);
    expect(
      checkOtelConfig(otel.replace(from, to))
        .map((p) => p.message)
        .join("\n"),
    ).toMatch(expected);
  });
});

describe("Prometheus config and alert rules", () => {
  it("passes promtool check config, check rules and the rules' unit tests", () => {
    expect(checkPrometheus(join(deploy, "prometheus"))).toEqual([]);
    expect(checkAlertRules(alertRules)).toEqual([]);
  }, 30_000);

  it("fails a rule whose PromQL does not parse", () => {
    const problems = checkPrometheus(prometheusWith("syntax", "> 0.05", "> > 0.05"));
    expect(problems.map((p) => p.where)).toContain("alerts.yml");
  }, 30_000);

  it("fails when a threshold drifts from the one the rule tests pin (5xx > 5 %)", () => {
    const problems = checkPrometheus(prometheusWith("threshold", "> 0.05", "> 0.5"));
    expect(problems.map((p) => p.where)).toEqual(["tests/alerts.test.yml"]);
    expect(
      checkAlertRules(readFileSync(join(scratch, "threshold", "alerts.yml"), "utf8"))
        .map((p) => p.message)
        .join("\n"),
    ).toMatch(/does not match/);
  }, 30_000);

  it("fails when the 5xx alert loses its minimum-traffic guard (1 of 2 requests failing would page)", () => {
    const guard =
      '\n          and\n          sum(rate(pib_http_server_request_duration_seconds_count{route!~"/api/health|/api/ready|/api/metrics|/_next/.*"}[5m])) >= 0.2\n';
    const dir = prometheusWith("no-guard", guard, "\n");
    const problems = checkPrometheus(dir);
    expect(problems.map((p) => p.where)).toEqual(["tests/alerts.test.yml"]);
    expect(problems[0]!.message).toMatch(/alertname: PibHttp5xxRatioHigh/);
    const rules = checkAlertRules(readFileSync(join(dir, "alerts.yml"), "utf8"));
    expect(rules.map((p) => p.where)).toEqual(["alerts.yml PibHttp5xxRatioHigh"]);
  }, 30_000);

  it("fails when an HTTP rule counts the probes and static files (they would meet the traffic guard on their own)", () => {
    const dir = prometheusWith(
      "probes",
      'status=~"5..",route!~"/api/health|/api/ready|/api/metrics|/_next/.*"}',
      'status=~"5.."}',
    );
    const rules = checkAlertRules(readFileSync(join(dir, "alerts.yml"), "utf8"));
    expect(rules.map((p) => `${p.where}: ${p.message}`)).toEqual([
      "alerts.yml PibHttp5xxRatioHigh: an HTTP series without the route!~ exclusion of probes, scrapes and static files",
    ]);
    // Without the exclusion anywhere, the rule tests with probe and static traffic fail.
    const all = prometheusWith("probes-all", /\{route!~"[^"]*"\}|,route!~"[^"]*"/g, "");
    const failed = checkPrometheus(all);
    expect(failed.map((p) => p.where)).toContain("tests/alerts.test.yml");
    expect(failed.map((p) => p.message).join("\n")).toMatch(
      /PibHttp5xxRatioHigh[\s\S]*PibHttpLatencyP95High|PibHttpLatencyP95High[\s\S]*PibHttp5xxRatioHigh/,
    );
  }, 30_000);

  it.each([
    ["the p99 threshold drifts (2.5 s → 2 s)", "    ) > 2.5\n", "    ) > 2\n", /PibHttpLatencyP99High/],
    [
      "the failed-job alert counts old failures",
      "offset 1h)\n            > 0",
      "offset 1h)\n            >= 0",
      /PibRecommendationJobsFailed/,
    ],
    ["the pool alert fires on any waiting client", ") >= 1\n", ") > 0\n", /PibDbPoolClientsWaiting/],
  ])(
    "fails when %s: the rule tests and the pinned threshold both notice",
    (_, from, to, alert) => {
      const dir = prometheusWith(alert.source, from, to);
      const problems = checkPrometheus(dir);
      expect(problems.map((p) => p.where)).toEqual(["tests/alerts.test.yml"]);
      expect(problems[0]!.message).toMatch(alert);
      expect(
        checkAlertRules(readFileSync(join(dir, "alerts.yml"), "utf8"))
          .map((p) => `${p.where}: ${p.message}`)
          .join("\n"),
      ).toMatch(alert);
    },
    30_000,
  );

  it("has, for every alert, a rule test in which it fires and one in which it stays silent", () => {
    expect(checkAlertTestCoverage(alertRules, alertTests)).toEqual([]);
    // Drop every silent case of one alert, and add a case for an alert that does not exist.
    const tests = parse(alertTests) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    for (const t of tests.tests)
      t.alert_rule_test = t.alert_rule_test.filter(
        (c) => c.alertname !== "PibDbPoolClientsWaiting" || c.exp_alerts.length > 0,
      );
    tests.tests[0]!.alert_rule_test.push({ alertname: "PibNoSuchAlert", exp_alerts: [] });
    expect(checkAlertTestCoverage(alertRules, stringify(tests)).map((p) => p.message)).toEqual([
      "no test in which PibDbPoolClientsWaiting stays silent",
      "tests PibNoSuchAlert, which alerts.yml does not define",
    ]);
  });

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
    const dashboard = JSON.parse(dashboardJson) as {
      panels: { id: number; gridPos: { x: number; y: number }; targets?: { expr: string }[] }[];
    };
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
    expect(checkDashboard(dashboardJson, { datasourceUids: ["other"] }).problems[0]?.message).toMatch(
      /datasource prometheus is not provisioned/,
    );
  }, 30_000);
});
