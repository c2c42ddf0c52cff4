// What the pilot asks BioCore about a stored MASS request: the normalized enterprise request as is
// (§3 of the contract), or, for a MASS Simple request with signals, an enterprise request built from
// its observation with the pilot's conservative defaults (shadow mode, no control actions, ±1 °C,
// ASHRAE's 27 °C recommended inlet maximum). Pure.
import type { ObservationFields } from "@/lib/mass/types";

type Json = Record<string, unknown>;

/** The signals of a reading the pilot can put into an enterprise request. */
export type ObservationSignals = {
  currency: string | null;
  itLoadKw: number | null;
  facilityPowerKw: number | null;
  pueReported: number | null;
  carbonIntensityGco2PerKwh: number | null;
  energyPricePerKwh: number | null;
  avgRackInletC: number | null;
  p95RackInletC: number | null;
  hotspotRackCount: number | null;
  coolingSetpointC: number | null;
  chillerKw: number | null;
  fanPowerKw: number | null;
  coolingValvePositionPct: number | null;
  cpuUtilPct: number | null;
  gpuUtilPct: number | null;
  batchPct: number | null;
  latencySensitivePct: number | null;
};

/** A stored reading: where and when it falls (as a MASS observation names it) and its signals. */
export type SimpleObservation = ObservationSignals &
  Pick<ObservationFields, "siteId" | "facilityId" | "clusterId" | "zoneId" | "intervalStart" | "intervalEnd">;

export const SIMPLE_DEFAULTS = {
  timeoutMs: 5000,
  sloMs: 1500,
  maxSetpointChangeC: 1,
  maxRackInletP95C: 27,
  maxRiskScore: 0.3,
  topK: 3,
} as const;

/** Drops nulls so absent signals stay absent. */
function compact(o: Json): Json {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) =>
        v !== null &&
        v !== undefined &&
        !(typeof v === "object" && !Array.isArray(v) && Object.keys(v as Json).length === 0),
    ),
  );
}

const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

export function biocoreRequestOf(
  m: {
    kind: "enterprise" | "simple";
    normalized: unknown;
    tenantId: string;
    correlationId: string;
    requestId: string;
    idempotencyKey: string;
    traceparent: string | null;
  },
  observation: SimpleObservation | null,
): Json | null {
  if (m.kind === "enterprise") {
    const doc = { ...(m.normalized as Json) };
    delete doc.normalized_at_utc;
    return doc;
  }
  if (!observation) return null;
  const o = observation;
  const seconds = Math.max(1, Math.round((o.intervalEnd.getTime() - o.intervalStart.getTime()) / 1000));
  return {
    schema_version: "1.1",
    correlation_id: m.correlationId,
    ...(m.traceparent ? { trace: { traceparent: m.traceparent } } : {}),
    request: {
      request_id: m.requestId,
      idempotency_key: m.idempotencyKey,
      tenant_id: m.tenantId,
      environment: "prod",
      mode: "shadow",
      timestamp_utc: iso(o.intervalEnd > o.intervalStart ? o.intervalEnd : o.intervalStart),
      timeout_ms: SIMPLE_DEFAULTS.timeoutMs,
      service_level_objective_ms: SIMPLE_DEFAULTS.sloMs,
      time_window: {
        start_utc: iso(o.intervalStart),
        end_utc: iso(new Date(o.intervalStart.getTime() + seconds * 1000)),
        granularity_seconds: seconds,
      },
      assets: compact({ site_id: o.siteId, facility_id: o.facilityId, cluster_id: o.clusterId, zone_id: o.zoneId }),
      data_contract: {
        units: "kW",
        currency: o.currency ?? "USD",
        source: "mass-simple",
        data_classification: "internal",
        no_pii: true,
      },
      signals: compact({
        energy: compact({
          it_load_kw: o.itLoadKw,
          facility_power_kw: o.facilityPowerKw,
          pue_current: o.pueReported,
          carbon_intensity_gco2_per_kwh: o.carbonIntensityGco2PerKwh,
          energy_price_usd_per_kwh: o.energyPricePerKwh,
        }),
        thermal: compact({
          avg_rack_inlet_c: o.avgRackInletC,
          p95_rack_inlet_c: o.p95RackInletC,
          hotspot_rack_count: o.hotspotRackCount,
        }),
        cooling: compact({
          cooling_setpoint_c: o.coolingSetpointC,
          chiller_kw: o.chillerKw,
          fan_power_kw: o.fanPowerKw,
          cooling_valve_position_pct: o.coolingValvePositionPct,
        }),
        workload: compact({
          cpu_util_avg: o.cpuUtilPct,
          gpu_util_avg: o.gpuUtilPct,
          job_mix:
            o.batchPct !== null || o.latencySensitivePct !== null
              ? compact({ batch_pct: o.batchPct, latency_sensitive_pct: o.latencySensitivePct })
              : null,
        }),
      }),
      constraints: {
        hard: {
          no_control_actions: true,
          max_setpoint_change_c: SIMPLE_DEFAULTS.maxSetpointChangeC,
          max_hotspot_rack_count: o.hotspotRackCount ?? 0,
          max_rack_inlet_p95_c: SIMPLE_DEFAULTS.maxRackInletP95C,
        },
        soft: { max_risk_score: SIMPLE_DEFAULTS.maxRiskScore, prefer_lower_carbon: true },
      },
      preferences: {
        objective_weights: { energy: 0.5, thermal_risk: 0.4, workload_efficiency: 0.1 },
        recommendation_horizon_minutes: 60,
        top_k: SIMPLE_DEFAULTS.topK,
      },
    },
  };
}
