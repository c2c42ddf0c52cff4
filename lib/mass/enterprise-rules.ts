// Layers 2–4 of the enterprise contract, read tolerantly from the raw document so that every
// violation is reported together with the structural ones: a value of the wrong type is the
// structural layer's to report, and is skipped here.
import { INT4_MAX, MEASURE_MAX } from "./extract-observation";
import type { MassIssue, MassLayer, MassWarning } from "./types";
import { payloadLimitProblems } from "./payload-limits";
import { pointerOf, readPath } from "./read-path";
import { asNumber, parseTimestamp, STORABLE_INSTANT_RULE, storableInstant } from "./values";

export const SUPPORTED_CURRENCIES = ["USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "BRL", "MXN", "ARS"] as const;
export const POWER_UNITS = ["W", "kW", "MW", "kWh"] as const;
const MAX_WINDOW_SECONDS = 31 * 86_400;
const FUTURE_TOLERANCE_MS = 5 * 60_000;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;
const TENANT = /^[a-z0-9_-]{1,64}$/;
const PRINTABLE = /^[\x20-\x7E]{8,255}$/;

type R = "request";
const RQ: R = "request";

export type RuleContext = { now: Date; idempotencyKeyHeader?: string | null };

export function checkEnterpriseRules(doc: unknown, ctx: RuleContext): { issues: MassIssue[]; warnings: MassWarning[] } {
  const issues: MassIssue[] = [];
  const warnings: MassWarning[] = [];
  const get = (...path: string[]) => readPath(doc, path);
  const num = (...path: string[]) => asNumber(get(...path));
  const issue = (layer: MassLayer, path: string[], code: string, message: string) =>
    issues.push({ pointer: pointerOf(path), layer, code, message });
  const warn = (path: string[], code: string, message: string) =>
    warnings.push({ pointer: pointerOf(path), code, message });

  const range = (path: string[], min: number, rangeMax: number, opts: { int?: boolean } = {}) => {
    const v = num(...path);
    if (v === undefined) return undefined;
    // A whole number is stored in a 32-bit column (observation.hotspot_rack_count, queue_depth):
    // validation accepts what storage holds, never more (2147483648 was a 500 at insert). Any other
    // number is a double whose sums in the rollups must stay finite (MEASURE_MAX).
    const max = Math.min(rangeMax, opts.int ? INT4_MAX : MEASURE_MAX);
    if (opts.int && !Number.isInteger(v)) issue("semantic", path, "not_integer", "must be a whole number");
    else if (v < min || v > max) {
      issue(
        "semantic",
        path,
        "out_of_range",
        max === Infinity ? `must be ≥ ${min}` : `must be between ${min} and ${max}`,
      );
    }
    return v;
  };
  const text = (path: string[], min: number, max: number, pattern?: RegExp, what?: string) => {
    const v = get(...path);
    if (typeof v !== "string") return undefined;
    const t = v.trim();
    if (t.length < min || t.length > max) issue("semantic", path, "length", `must be ${min}–${max} characters`);
    else if (pattern && !pattern.test(t)) issue("semantic", path, "format", `must be ${what}`);
    return t;
  };

  // Identity and tracing.
  const correlation = get("correlation_id");
  if (typeof correlation === "string" && correlation.trim() !== "") {
    text(["correlation_id"], 1, 128, CORRELATION, "1–128 characters of A–Z a–z 0–9 . _ : -");
  }
  const traceparent = get("trace", "traceparent");
  if (typeof traceparent === "string") {
    const m = TRACEPARENT.exec(traceparent.trim());
    if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) {
      issue(
        "semantic",
        ["trace", "traceparent"],
        "format",
        "must be a W3C traceparent 00-<32 hex>-<16 hex>-<2 hex> with non-zero ids",
      );
    }
  } else {
    const traceId = get("trace", "trace_id");
    const spanId = get("trace", "span_id");
    if (typeof traceId === "string" && (!/^[0-9a-f]{32}$/.test(traceId.trim()) || /^0+$/.test(traceId.trim()))) {
      issue("semantic", ["trace", "trace_id"], "format", "must be 32 lower-case hex digits, not all zero");
    }
    if (typeof spanId === "string" && (!/^[0-9a-f]{16}$/.test(spanId.trim()) || /^0+$/.test(spanId.trim()))) {
      issue("semantic", ["trace", "span_id"], "format", "must be 16 lower-case hex digits, not all zero");
    }
    if ((typeof traceId === "string") !== (typeof spanId === "string")) {
      issue("semantic", ["trace"], "incomplete", "trace_id and span_id come together");
    }
  }
  text([RQ, "request_id"], 1, 128);
  const key = get(RQ, "idempotency_key");
  if (typeof key === "string") {
    if (!PRINTABLE.test(key))
      issue("semantic", [RQ, "idempotency_key"], "format", "must be 8–255 printable ASCII characters");
    if (ctx.idempotencyKeyHeader != null && ctx.idempotencyKeyHeader !== key) {
      issue("semantic", [RQ, "idempotency_key"], "header_mismatch", "must equal the Idempotency-Key header");
    }
  }
  const tenant = get(RQ, "tenant_id");
  if (typeof tenant === "string" && !TENANT.test(tenant.trim().toLowerCase())) {
    issue("semantic", [RQ, "tenant_id"], "format", "must be 1–64 characters of a–z 0–9 _ - (after lower-casing)");
  }

  // Time.
  const tsRaw = get(RQ, "timestamp_utc");
  const parsedTs = tsRaw === undefined ? undefined : parseTimestamp(tsRaw);
  if (tsRaw !== undefined && !parsedTs)
    issue(
      "semantic",
      [RQ, "timestamp_utc"],
      "timestamp",
      "must be ISO 8601 with an offset, or epoch seconds/milliseconds",
    );
  else if (parsedTs && !storableInstant(parsedTs))
    issue("semantic", [RQ, "timestamp_utc"], "out_of_range", STORABLE_INSTANT_RULE);
  const ts = parsedTs && storableInstant(parsedTs) ? parsedTs : undefined;
  const timeout = range([RQ, "timeout_ms"], 1, 60_000, { int: true });
  const slo = range([RQ, "service_level_objective_ms"], 1, 60_000, { int: true });
  if (timeout !== undefined && slo !== undefined && slo > timeout) {
    issue("semantic", [RQ, "service_level_objective_ms"], "relation", "must be ≤ timeout_ms");
  }
  checkWindow(get, issue);

  // Assets, data contract.
  for (const asset of ["site_id", "region", "facility_id", "cluster_id", "zone_id"]) text([RQ, "assets", asset], 1, 64);
  text([RQ, "data_contract", "source"], 1, 128);
  range([RQ, "data_contract", "quality_flags", "max_missing_ratio"], 0, 1);
  range([RQ, "data_contract", "quality_flags", "max_staleness_seconds"], 0, Infinity, { int: true });

  // Signals.
  const S = [RQ, "signals"];
  const it = range([...S, "energy", "it_load_kw"], 0, Infinity);
  const facility = range([...S, "energy", "facility_power_kw"], 0, Infinity);
  if (it !== undefined && facility !== undefined && facility < it) {
    issue("semantic", [...S, "energy", "facility_power_kw"], "relation", "must be ≥ it_load_kw");
  }
  range([...S, "energy", "ups_efficiency_pct"], 0, 100);
  const pue = range([...S, "energy", "pue_current"], 1, Infinity);
  if (pue !== undefined && pue >= 1 && it && facility !== undefined && facility >= it) {
    const computed = facility / it;
    if (Math.abs(pue - computed) / computed > 0.05) {
      warn(
        [...S, "energy", "pue_current"],
        "pue_mismatch",
        `differs by more than 5 % from facility/IT power (${computed.toFixed(3)})`,
      );
    }
  }
  range([...S, "energy", "carbon_intensity_gco2_per_kwh"], 0, 2000);
  range([...S, "energy", "energy_price_usd_per_kwh"], 0, 10);
  const avgInlet = range([...S, "thermal", "avg_rack_inlet_c"], -10, 60);
  const p95Inlet = range([...S, "thermal", "p95_rack_inlet_c"], -10, 60);
  if (avgInlet !== undefined && p95Inlet !== undefined && p95Inlet < avgInlet) {
    issue("semantic", [...S, "thermal", "p95_rack_inlet_c"], "relation", "must be ≥ avg_rack_inlet_c");
  }
  range([...S, "thermal", "hotspot_rack_count"], 0, Infinity, { int: true });
  const supply = range([...S, "thermal", "supply_temp_c"], -10, 80);
  const ret = range([...S, "thermal", "return_temp_c"], -10, 80);
  if (supply !== undefined && ret !== undefined && ret < supply) {
    warn([...S, "thermal", "return_temp_c"], "return_below_supply", "return temperature is below supply temperature");
  }
  range([...S, "cooling", "cooling_setpoint_c"], 5, 35);
  range([...S, "cooling", "chiller_kw"], 0, Infinity);
  range([...S, "cooling", "fan_power_kw"], 0, Infinity);
  range([...S, "cooling", "cooling_valve_position_pct"], 0, 100);
  range([...S, "workload", "cpu_util_avg"], 0, 100);
  range([...S, "workload", "gpu_util_avg"], 0, 100);
  range([...S, "workload", "queue_depth"], 0, Infinity, { int: true });
  const batch = range([...S, "workload", "job_mix", "batch_pct"], 0, 100);
  const latency = range([...S, "workload", "job_mix", "latency_sensitive_pct"], 0, 100);
  if (batch !== undefined && latency !== undefined && batch + latency > 100) {
    issue("semantic", [...S, "workload", "job_mix"], "relation", "batch_pct + latency_sensitive_pct must be ≤ 100");
  }
  range([...S, "workload", "tokens_per_watt_est"], 0, Infinity);

  // Constraints and preferences.
  const C = [RQ, "constraints"];
  range([...C, "hard", "max_setpoint_change_c"], 0, 5);
  range([...C, "hard", "max_hotspot_rack_count"], 0, Infinity, { int: true });
  range([...C, "hard", "max_rack_inlet_p95_c"], 15, 45);
  range([...C, "soft", "max_risk_score"], 0, 1);
  const P = [RQ, "preferences"];
  const weights = ["energy", "thermal_risk", "workload_efficiency"].map((w) =>
    range([...P, "objective_weights", w], 0, 1),
  );
  if (get(...P, "objective_weights") !== undefined && weights.every((w) => w === 0 || w === undefined)) {
    issue("semantic", [...P, "objective_weights"], "all_zero", "at least one weight must be above zero");
  }
  range([...P, "recommendation_horizon_minutes"], 1, 10_080, { int: true });
  range([...P, "top_k"], 1, 20, { int: true });

  checkPayloadLimits(get("payload"), issue);
  checkContract(get, issue);
  checkBusiness(get, ts, ctx.now, issue);
  return { issues, warnings };
}

type Issue = (layer: MassLayer, path: string[], code: string, message: string) => void;
type Get = (...path: string[]) => unknown;

function checkWindow(get: Get, issue: Issue): void {
  const W = [RQ, "time_window"];
  const read = (name: "start" | "end") => {
    const canonical = get(...W, `${name}_utc`);
    const legacy = get(...W, name);
    if (canonical !== undefined && legacy !== undefined) {
      issue("semantic", [...W, name], "duplicate", `give ${name}_utc or its legacy alias ${name}, not both`);
    }
    const [value, key] = canonical !== undefined ? [canonical, `${name}_utc`] : [legacy, name];
    if (value === undefined) {
      if (get(...W) !== undefined) issue("structural", [...W, `${name}_utc`], "required", "is required");
      return undefined;
    }
    const date = parseTimestamp(value);
    if (!date)
      issue("semantic", [...W, key], "timestamp", "must be ISO 8601 with an offset, or epoch seconds/milliseconds");
    else if (!storableInstant(date)) {
      issue("semantic", [...W, key], "out_of_range", STORABLE_INSTANT_RULE);
      return undefined;
    }
    return date;
  };
  const start = read("start");
  const end = read("end");
  const granularity = asNumber(get(...W, "granularity_seconds"));
  if (start && end) {
    const seconds = (end.getTime() - start.getTime()) / 1000;
    if (seconds <= 0) issue("semantic", [...W], "relation", "start must be before end");
    else if (seconds > MAX_WINDOW_SECONDS) issue("semantic", [...W], "too_long", "the window may not exceed 31 days");
    if (granularity !== undefined && seconds > 0 && granularity > seconds) {
      issue("semantic", [...W, "granularity_seconds"], "relation", "must not exceed the window length");
    }
  }
  if (granularity !== undefined && (!Number.isInteger(granularity) || granularity < 1)) {
    issue("semantic", [...W, "granularity_seconds"], "out_of_range", "must be a whole number ≥ 1");
  }
}

function checkPayloadLimits(payload: unknown, issue: Issue): void {
  if (payload === undefined || payload === null || typeof payload !== "object") return;
  for (const problem of payloadLimitProblems(payload)) issue("semantic", ["payload"], "payload_limit", problem);
}

function checkContract(get: Get, issue: Issue): void {
  const version = get("schema_version");
  if (typeof version === "string" && version.trim() !== "1.1") {
    issue("contract", ["schema_version"], "unsupported_version", 'must be "1.1", the only supported version');
  }
  const D = [RQ, "data_contract"];
  const units = get(...D, "units");
  if (typeof units === "string" && !(POWER_UNITS as readonly string[]).includes(units.trim())) {
    issue("contract", [...D, "units"], "unsupported_unit", "must be W, kW, MW or kWh");
  }
  const currency = get(...D, "currency");
  if (
    typeof currency === "string" &&
    !(SUPPORTED_CURRENCIES as readonly string[]).includes(currency.trim().toUpperCase())
  ) {
    issue("contract", [...D, "currency"], "unsupported_currency", `must be one of ${SUPPORTED_CURRENCIES.join(", ")}`);
  }
  const classification = get(...D, "data_classification");
  if (typeof classification === "string" && !["internal", "restricted"].includes(classification.trim())) {
    issue("contract", [...D, "data_classification"], "unsupported_classification", "must be internal or restricted");
  }
  if (get(...D, "no_pii") === false) {
    issue(
      "contract",
      [...D, "no_pii"],
      "pii_not_allowed",
      "must be true: payloads that may carry personal data are refused",
    );
  }
}

function checkBusiness(get: Get, timestamp: Date | undefined, now: Date, issue: Issue): void {
  if (get(RQ, "mode") === "shadow" && get(RQ, "constraints", "hard", "no_control_actions") !== true) {
    issue(
      "business",
      [RQ, "constraints", "hard", "no_control_actions"],
      "shadow_requires_no_control",
      "must be true in shadow mode",
    );
  }
  const slo = asNumber(get(RQ, "service_level_objective_ms"));
  if (get(RQ, "environment") === "prod" && slo !== undefined && slo > 5000) {
    issue("business", [RQ, "service_level_objective_ms"], "prod_slo", "must be ≤ 5000 in prod");
  }
  if (timestamp && timestamp.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    issue("business", [RQ, "timestamp_utc"], "in_future", "may not be more than 5 minutes in the future");
  }
}
