// The enterprise normalizer: pure and deterministic (the same input gives byte-identical output),
// and idempotent (normalizing a normalized document changes nothing). Expects a document that
// passed validation.
import { createHash } from "node:crypto";
import type { EnterpriseStructure } from "./enterprise-structure";
import { sortKeys } from "./sort-keys";
import type { JsonObject } from "./types";
import { asNumber, parseTimestamp, tidy, utcSeconds } from "./values";

const POWER_SIGNALS = new Set(["it_load_kw", "facility_power_kw", "chiller_kw", "fan_power_kw"]);

/** kW per unit of the data contract; kWh is energy per granularity interval, i.e. average power. */
function kwFactor(units: string, granularitySeconds: number): number {
  switch (units.trim()) {
    case "W":
      return 0.001;
    case "MW":
      return 1000;
    case "kWh":
      return 3600 / granularitySeconds;
    default:
      return 1;
  }
}

/**
 * A missing correlation id is derived from the request's identity rather than drawn at random, so
 * that normalization stays deterministic and a retried request keeps its id.
 */
function derivedCorrelationId(tenant: string, requestId: string, key: string): string {
  const h = createHash("sha256").update(`${tenant}\n${requestId}\n${key}`).digest("hex");
  return `corr-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function numbers(group: Record<string, unknown> | undefined, factor = 1): JsonObject | undefined {
  if (!group) return undefined;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(group)) {
    if (value !== null && typeof value === "object") out[key] = numbers(value as Record<string, unknown>) ?? {};
    else {
      const n = asNumber(value);
      if (n !== undefined) out[key] = POWER_SIGNALS.has(key) ? tidy(n * factor) : n;
      else if (typeof value === "boolean") out[key] = value;
    }
  }
  return out;
}

function weights(w: Record<string, unknown> | undefined): JsonObject | undefined {
  if (!w) return undefined;
  const values = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, asNumber(v) ?? 0]));
  const sum = Object.values(values).reduce((a, b) => a + b, 0);
  // Already summing to 1 (as a normalized document does): leave it, so normalizing is idempotent.
  if (sum <= 0 || Math.abs(sum - 1) < 1e-9) return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tidy(v / sum)]));
}

function traceOf(trace: EnterpriseStructure["trace"]): JsonObject | undefined {
  if (!trace) return undefined;
  const traceparent =
    trace.traceparent?.trim() ??
    (trace.trace_id && trace.span_id ? `00-${trace.trace_id.trim()}-${trace.span_id.trim()}-01` : undefined);
  if (!traceparent) return undefined;
  return { traceparent, ...(trace.tracestate ? { tracestate: trace.tracestate.trim() } : {}) };
}

function trimAll(group: Record<string, string | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(group)) if (typeof v === "string") out[k] = v.trim();
  return out;
}

export function normalizeEnterprise(doc: EnterpriseStructure): JsonObject {
  const r = doc.request;
  const tenant = r.tenant_id.trim().toLowerCase();
  const requestId = r.request_id.trim();
  const granularity = asNumber(r.time_window.granularity_seconds) ?? 1;
  const factor = kwFactor(r.data_contract.units, granularity);
  const stamp = (v: unknown) => {
    const d = parseTimestamp(v);
    return d ? utcSeconds(d) : null;
  };
  const q = r.data_contract.quality_flags;
  const normalized = {
    schema_version: doc.schema_version.trim(),
    correlation_id: doc.correlation_id?.trim() || derivedCorrelationId(tenant, requestId, r.idempotency_key),
    trace: traceOf(doc.trace),
    request: {
      request_id: requestId,
      idempotency_key: r.idempotency_key,
      tenant_id: tenant,
      environment: r.environment,
      mode: r.mode,
      timestamp_utc: stamp(r.timestamp_utc),
      timeout_ms: asNumber(r.timeout_ms),
      service_level_objective_ms: asNumber(r.service_level_objective_ms),
      time_window: {
        start_utc: stamp(r.time_window.start_utc ?? r.time_window.start),
        end_utc: stamp(r.time_window.end_utc ?? r.time_window.end),
        granularity_seconds: granularity,
      },
      assets: trimAll(r.assets),
      data_contract: {
        units: "kW",
        currency: r.data_contract.currency.trim().toUpperCase(),
        source: r.data_contract.source.trim(),
        data_classification: r.data_contract.data_classification.trim(),
        no_pii: r.data_contract.no_pii,
        quality_flags: q
          ? {
              missing_allowed: q.missing_allowed,
              max_missing_ratio: asNumber(q.max_missing_ratio),
              max_staleness_seconds: asNumber(q.max_staleness_seconds),
            }
          : undefined,
      },
      signals: {
        energy: numbers(r.signals.energy, factor),
        thermal: numbers(r.signals.thermal),
        cooling: numbers(r.signals.cooling, factor),
        workload: numbers(r.signals.workload),
      },
      constraints: r.constraints ? { hard: numbers(r.constraints.hard), soft: numbers(r.constraints.soft) } : undefined,
      preferences: r.preferences
        ? {
            objective_weights: weights(r.preferences.objective_weights),
            recommendation_horizon_minutes: asNumber(r.preferences.recommendation_horizon_minutes),
            top_k: asNumber(r.preferences.top_k),
          }
        : undefined,
    },
    payload: doc.payload,
  };
  return sortKeys(normalized) as JsonObject;
}
