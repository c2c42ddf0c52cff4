// The demo's recommendation to verify: an enterprise MASS request for the demo's mad1 cluster c01
// in the last 15 minutes before the generator's setpoint event, its values the demo year's own row
// (so the request adds no data of its own: the dataset's identical row wins wherever both are read),
// asking BioCore with a 2 °C setpoint-change limit. Pure.
import { DEFAULT_DEMO, DEMO_EVENT, demoRows, type DemoRow } from "@/lib/demo/data";

export const DEMO_IMPLEMENTATION = {
  siteId: "mad1",
  clusterId: "c01",
  effectiveAt: DEMO_EVENT.at,
  appliedValueC: DEMO_EVENT.toC,
  note: "Demo data: the demo generator's setpoint raise (22 → 24 °C at 2026-06-01T00:00Z), recorded as the operator's implementation of this recommendation.",
} as const;

const INTERVAL_MS = 15 * 60_000;

function rowBeforeEvent(): DemoRow {
  const at = new Date(Date.parse(DEMO_EVENT.at) - INTERVAL_MS).toISOString().replace(".000Z", "Z");
  const opts = {
    ...DEFAULT_DEMO,
    sites: DEFAULT_DEMO.sites.filter((s) => s.siteId === DEMO_IMPLEMENTATION.siteId),
    start: new Date(Date.parse(DEMO_EVENT.at) - 86_400_000),
    days: 1,
  };
  for (const r of demoRows(opts))
    if (r.cluster_id === DEMO_IMPLEMENTATION.clusterId && r.timestamp_utc === at) return r;
  throw new Error(`no demo row at ${at}`);
}

export function demoMassRequestBody(tenantId: string): Record<string, unknown> {
  const r = rowBeforeEvent();
  const end = DEMO_EVENT.at;
  const start = new Date(Date.parse(end) - INTERVAL_MS).toISOString().replace(".000Z", "Z");
  return {
    schema_version: "1.1",
    correlation_id: `demo-setpoint-${tenantId}`,
    request: {
      request_id: `demo-${r.site_id}-${r.cluster_id}-20260531T2345`,
      idempotency_key: `demo-${tenantId}-${r.site_id}-${r.cluster_id}-20260531T2345`,
      tenant_id: tenantId,
      environment: "prod",
      mode: "shadow",
      timestamp_utc: end,
      timeout_ms: 3000,
      service_level_objective_ms: 1500,
      time_window: { start_utc: start, end_utc: end, granularity_seconds: 900 },
      assets: { site_id: r.site_id, facility_id: r.facility_id, cluster_id: r.cluster_id, zone_id: r.zone_id },
      data_contract: {
        units: "kW",
        currency: "USD",
        source: "demo-generator",
        data_classification: "internal",
        no_pii: true,
        quality_flags: { missing_allowed: true, max_missing_ratio: 0.2, max_staleness_seconds: 900 },
      },
      signals: {
        energy: {
          it_load_kw: r.it_load_kw,
          facility_power_kw: r.facility_power_kw,
          carbon_intensity_gco2_per_kwh: r.carbon_intensity_gco2_per_kwh,
          energy_price_usd_per_kwh: r.energy_price_usd_per_kwh,
        },
        thermal: {
          avg_rack_inlet_c: r.avg_rack_inlet_c,
          p95_rack_inlet_c: r.p95_rack_inlet_c,
          hotspot_rack_count: r.hotspot_rack_count,
        },
        cooling: { cooling_setpoint_c: r.cooling_setpoint_c, chiller_kw: r.chiller_kw, fan_power_kw: r.fan_power_kw },
      },
      constraints: {
        hard: {
          no_control_actions: true,
          max_setpoint_change_c: DEMO_EVENT.toC - DEMO_EVENT.fromC,
          max_hotspot_rack_count: 3,
          max_rack_inlet_p95_c: 27.0,
        },
        soft: { max_risk_score: 0.5, prefer_lower_carbon: false },
      },
      preferences: {
        objective_weights: { energy: 0.6, thermal_risk: 0.3, workload_efficiency: 0.1 },
        recommendation_horizon_minutes: 240,
        top_k: 3,
      },
    },
  };
}
