// Layer 1 (structural) of the enterprise contract: types, required fields, unknown keys. Numbers
// may arrive as numeric strings and timestamps as ISO strings or epoch numbers; ranges and
// relations are the later layers' business.
import { z } from "zod";
import { DECIMAL } from "./values";

const Num = z.union([z.number(), z.string().trim().regex(DECIMAL, "must be a number")], { error: "must be a number" });
const Str = z.string({ error: "must be a string" });
const Bool = z.boolean({ error: "must be true or false" });
const Timestamp = z.union([z.string(), z.number()], {
  error: "must be an ISO 8601 timestamp or epoch seconds/milliseconds",
});

const Energy = z.strictObject({
  it_load_kw: Num.optional(),
  facility_power_kw: Num.optional(),
  ups_efficiency_pct: Num.optional(),
  pue_current: Num.optional(),
  carbon_intensity_gco2_per_kwh: Num.optional(),
  energy_price_usd_per_kwh: Num.optional(),
});

const Thermal = z.strictObject({
  avg_rack_inlet_c: Num.optional(),
  p95_rack_inlet_c: Num.optional(),
  hotspot_rack_count: Num.optional(),
  supply_temp_c: Num.optional(),
  return_temp_c: Num.optional(),
});

const Cooling = z.strictObject({
  cooling_setpoint_c: Num.optional(),
  chiller_kw: Num.optional(),
  fan_power_kw: Num.optional(),
  cooling_valve_position_pct: Num.optional(),
});

const Workload = z.strictObject({
  cpu_util_avg: Num.optional(),
  gpu_util_avg: Num.optional(),
  queue_depth: Num.optional(),
  job_mix: z.strictObject({ batch_pct: Num.optional(), latency_sensitive_pct: Num.optional() }).optional(),
  tokens_per_watt_est: Num.optional(),
});

export const EnterpriseStructureSchema = z.strictObject({
  schema_version: Str,
  correlation_id: Str.optional(),
  trace: z
    .strictObject({
      traceparent: Str.optional(),
      trace_id: Str.optional(),
      span_id: Str.optional(),
      tracestate: Str.optional(),
    })
    .optional(),
  request: z.strictObject({
    request_id: Str,
    idempotency_key: Str,
    tenant_id: Str,
    environment: z.enum(["dev", "staging", "prod"], { error: "must be dev, staging or prod" }),
    mode: z.enum(["shadow", "advisory"], { error: "must be shadow or advisory" }),
    timestamp_utc: Timestamp,
    timeout_ms: Num,
    service_level_objective_ms: Num,
    time_window: z.strictObject({
      start_utc: Timestamp.optional(),
      end_utc: Timestamp.optional(),
      start: Timestamp.optional(),
      end: Timestamp.optional(),
      granularity_seconds: Num,
    }),
    assets: z.strictObject({
      site_id: Str,
      region: Str.optional(),
      facility_id: Str.optional(),
      cluster_id: Str.optional(),
      zone_id: Str.optional(),
    }),
    data_contract: z.strictObject({
      units: Str,
      currency: Str,
      source: Str,
      data_classification: Str,
      no_pii: Bool,
      quality_flags: z
        .strictObject({
          missing_allowed: Bool.optional(),
          max_missing_ratio: Num.optional(),
          max_staleness_seconds: Num.optional(),
        })
        .optional(),
    }),
    signals: z.strictObject({
      energy: Energy.optional(),
      thermal: Thermal.optional(),
      cooling: Cooling.optional(),
      workload: Workload.optional(),
    }),
    constraints: z
      .strictObject({
        hard: z
          .strictObject({
            no_control_actions: Bool.optional(),
            max_setpoint_change_c: Num.optional(),
            max_hotspot_rack_count: Num.optional(),
            max_rack_inlet_p95_c: Num.optional(),
          })
          .optional(),
        soft: z.strictObject({ max_risk_score: Num.optional(), prefer_lower_carbon: Bool.optional() }).optional(),
      })
      .optional(),
    preferences: z
      .strictObject({
        objective_weights: z
          .strictObject({ energy: Num.optional(), thermal_risk: Num.optional(), workload_efficiency: Num.optional() })
          .optional(),
        recommendation_horizon_minutes: Num.optional(),
        top_k: Num.optional(),
      })
      .optional(),
  }),
  payload: z.record(z.string(), z.unknown()).optional(),
});

export type EnterpriseStructure = z.infer<typeof EnterpriseStructureSchema>;
