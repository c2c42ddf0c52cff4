// Reads a normalized MASS v1.1 enterprise request into the engine's view: the identity the answer
// echoes, the signals the rules use (each one optional), and the constraints and preferences with
// conservative defaults for the absent ones. A document that is not a usable enterprise request is
// reported, never thrown.
import { z } from "zod";
import { jsonPointer } from "@/lib/http/problem";
import { parseTimestamp } from "@/lib/mass/values";
import { DEFAULTS, MAX_POWER_KW } from "./constants";
import type { EngineInput, Weights } from "./types";

const num = (min: number, max = Number.MAX_VALUE) => z.number().min(min).max(max).nullish();
const kw = () => num(0, MAX_POWER_KW);
const count = () => z.number().int().min(0).nullish();
const id = (max: number) => z.string().trim().min(1).max(max);
const group = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish();

// Ranges are the contract's (MASS v1.1 §1) for every field a rule reads; other fields pass unread.
const RequestSchema = z.object({
  schema_version: z.literal("1.1", { error: 'must be "1.1"' }),
  correlation_id: id(128),
  trace: group({ traceparent: z.string().max(64).nullish() }),
  request: z.object({
    request_id: id(128),
    idempotency_key: id(255),
    mode: z.enum(["shadow", "advisory"]),
    timestamp_utc: z.string().refine((s) => parseTimestamp(s) !== undefined, "must be a UTC timestamp"),
    service_level_objective_ms: z.number().min(0),
    assets: z.object({
      site_id: id(64),
      facility_id: id(64).nullish(),
      zone_id: id(64).nullish(),
      cluster_id: id(64).nullish(),
    }),
    data_contract: group({
      currency: z.string().trim().min(1).max(8).nullish(),
      quality_flags: group({ max_missing_ratio: num(0, 1), max_staleness_seconds: num(0) }),
    }),
    signals: group({
      energy: group({
        it_load_kw: kw(),
        facility_power_kw: kw(),
        carbon_intensity_gco2_per_kwh: num(0, 2000),
        energy_price_usd_per_kwh: num(0, 10),
      }),
      thermal: group({ p95_rack_inlet_c: num(-10, 60), hotspot_rack_count: count() }),
      cooling: group({
        cooling_setpoint_c: num(5, 35),
        chiller_kw: kw(),
        fan_power_kw: kw(),
        cooling_valve_position_pct: num(0, 100),
      }),
      workload: group({ job_mix: group({ batch_pct: num(0, 100) }) }),
    }),
    constraints: group({
      hard: group({
        max_setpoint_change_c: num(0, 5),
        max_hotspot_rack_count: count(),
        max_rack_inlet_p95_c: num(15, 45),
      }),
      soft: group({ max_risk_score: num(0, 1), prefer_lower_carbon: z.boolean().nullish() }),
    }),
    preferences: group({
      objective_weights: group({ energy: num(0, 1), thermal_risk: num(0, 1), workload_efficiency: num(0, 1) }),
      recommendation_horizon_minutes: z.number().int().min(1).max(10080).nullish(),
      top_k: z.number().int().min(1).max(20).nullish(),
    }),
  }),
});

/** The inputs the rules read, each with what its absence costs. Their absent share is `missing_ratio`. */
export const RULE_INPUTS: ReadonlyArray<[pointer: string, consequence: string]> = [
  ["/request/signals/energy/it_load_kw", "PUE deltas are reported as 0 and no batch work is shifted"],
  ["/request/signals/energy/facility_power_kw", "energy savings are scored against IT load instead of facility power"],
  [
    "/request/signals/energy/carbon_intensity_gco2_per_kwh",
    "CO2e impacts are reported as 0 and no batch work is shifted",
  ],
  ["/request/signals/energy/energy_price_usd_per_kwh", "cost impacts are reported as 0"],
  [
    "/request/signals/thermal/p95_rack_inlet_c",
    "no setpoint or fan-speed change can be checked against the inlet limit, so none is proposed",
  ],
  [
    "/request/signals/thermal/hotspot_rack_count",
    "the hotspot cap cannot be checked, so no setpoint or fan-speed change is proposed under a cap",
  ],
  ["/request/signals/cooling/cooling_setpoint_c", "the cooling-setpoint rule is skipped"],
  ["/request/signals/cooling/chiller_kw", "the cooling-setpoint rule is skipped"],
  [
    "/request/signals/cooling/fan_power_kw",
    "the fan-speed rule is skipped and hotspot mitigation carries no energy estimate",
  ],
  ["/request/signals/cooling/cooling_valve_position_pct", "the fan-speed rule is skipped"],
  ["/request/signals/workload/job_mix/batch_pct", "the workload-shift rule is skipped"],
  ["/request/constraints/hard/max_setpoint_change_c", `the default of ${DEFAULTS.maxSetpointChangeC} °C applies`],
  [
    "/request/constraints/hard/max_rack_inlet_p95_c",
    `the default of ${DEFAULTS.maxRackInletP95C} °C (ASHRAE recommended maximum) applies`,
  ],
  ["/request/constraints/hard/max_hotspot_rack_count", "no hotspot cap is applied"],
  ["/request/constraints/soft/max_risk_score", `the default of ${DEFAULTS.maxRiskScore} applies`],
  ["/request/constraints/soft/prefer_lower_carbon", "batch work is not shifted (default false)"],
  ["/request/preferences/top_k", `the default of ${DEFAULTS.topK} applies`],
  ["/request/preferences/objective_weights", "equal weights apply"],
];

export type ReadResult =
  { ok: true; input: EngineInput } | { ok: false; issues: { pointer: string; message: string }[] };

const present = (v: number | boolean | null | undefined): boolean => v !== null && v !== undefined;
const opt = (v: number | null | undefined): number | undefined => (v === null || v === undefined ? undefined : v);
const optText = (v: string | null | undefined): string | undefined => (v ? v : undefined);

function weightsOf(
  w: { energy?: number | null; thermal_risk?: number | null; workload_efficiency?: number | null } | null | undefined,
): Weights | null {
  if (!w) return null;
  const energy = w.energy ?? 0;
  const thermalRisk = w.thermal_risk ?? 0;
  const workloadEfficiency = w.workload_efficiency ?? 0;
  const sum = energy + thermalRisk + workloadEfficiency;
  // Normalized requests sum to 1 already; dividing again keeps any other document consistent.
  return sum > 0
    ? { energy: energy / sum, thermalRisk: thermalRisk / sum, workloadEfficiency: workloadEfficiency / sum }
    : null;
}

export function readRequest(doc: unknown): ReadResult {
  const parsed = RequestSchema.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ pointer: jsonPointer(i.path), message: i.message })),
    };
  const d = parsed.data;
  const r = d.request;
  const energy = r.signals?.energy;
  const thermal = r.signals?.thermal;
  const cooling = r.signals?.cooling;
  const batchPct = r.signals?.workload?.job_mix?.batch_pct;
  const hard = r.constraints?.hard;
  const soft = r.constraints?.soft;
  const weights = weightsOf(r.preferences?.objective_weights);

  const values: Record<string, number | boolean | null | undefined> = {
    "/request/signals/energy/it_load_kw": energy?.it_load_kw,
    "/request/signals/energy/facility_power_kw": energy?.facility_power_kw,
    "/request/signals/energy/carbon_intensity_gco2_per_kwh": energy?.carbon_intensity_gco2_per_kwh,
    "/request/signals/energy/energy_price_usd_per_kwh": energy?.energy_price_usd_per_kwh,
    "/request/signals/thermal/p95_rack_inlet_c": thermal?.p95_rack_inlet_c,
    "/request/signals/thermal/hotspot_rack_count": thermal?.hotspot_rack_count,
    "/request/signals/cooling/cooling_setpoint_c": cooling?.cooling_setpoint_c,
    "/request/signals/cooling/chiller_kw": cooling?.chiller_kw,
    "/request/signals/cooling/fan_power_kw": cooling?.fan_power_kw,
    "/request/signals/cooling/cooling_valve_position_pct": cooling?.cooling_valve_position_pct,
    "/request/signals/workload/job_mix/batch_pct": batchPct,
    "/request/constraints/hard/max_setpoint_change_c": hard?.max_setpoint_change_c,
    "/request/constraints/hard/max_rack_inlet_p95_c": hard?.max_rack_inlet_p95_c,
    "/request/constraints/hard/max_hotspot_rack_count": hard?.max_hotspot_rack_count,
    "/request/constraints/soft/max_risk_score": soft?.max_risk_score,
    "/request/constraints/soft/prefer_lower_carbon": soft?.prefer_lower_carbon,
    "/request/preferences/top_k": r.preferences?.top_k,
    "/request/preferences/objective_weights": weights ? 1 : undefined,
  };
  const missing = RULE_INPUTS.map(([pointer]) => pointer).filter((p) => !present(values[p]));

  const document = { ...(doc as Record<string, unknown>) };
  // The pilot keeps the normalization time outside the hashed part of a request (contract §1).
  delete document.normalized_at_utc;

  return {
    ok: true,
    input: {
      echo: {
        schemaVersion: d.schema_version,
        correlationId: d.correlation_id,
        traceparent: d.trace?.traceparent ?? null,
        requestId: r.request_id,
        idempotencyKey: r.idempotency_key,
        mode: r.mode,
        sloMs: r.service_level_objective_ms,
      },
      timestamp: parseTimestamp(r.timestamp_utc)!,
      assets: {
        siteId: r.assets.site_id,
        facilityId: optText(r.assets.facility_id),
        zoneId: optText(r.assets.zone_id),
        clusterId: optText(r.assets.cluster_id),
      },
      currency: r.data_contract?.currency?.toUpperCase() ?? DEFAULTS.currency,
      itKw: opt(energy?.it_load_kw),
      facilityKw: opt(energy?.facility_power_kw),
      carbonGPerKwh: opt(energy?.carbon_intensity_gco2_per_kwh),
      pricePerKwh: opt(energy?.energy_price_usd_per_kwh),
      p95InletC: opt(thermal?.p95_rack_inlet_c),
      hotspotRackCount: opt(thermal?.hotspot_rack_count),
      setpointC: opt(cooling?.cooling_setpoint_c),
      chillerKw: opt(cooling?.chiller_kw),
      fanKw: opt(cooling?.fan_power_kw),
      valvePct: opt(cooling?.cooling_valve_position_pct),
      batchPct: opt(batchPct),
      maxSetpointChangeC: hard?.max_setpoint_change_c ?? DEFAULTS.maxSetpointChangeC,
      maxRackInletP95C: hard?.max_rack_inlet_p95_c ?? DEFAULTS.maxRackInletP95C,
      maxHotspotRackCount: opt(hard?.max_hotspot_rack_count),
      maxRiskScore: soft?.max_risk_score ?? DEFAULTS.maxRiskScore,
      preferLowerCarbon: soft?.prefer_lower_carbon ?? DEFAULTS.preferLowerCarbon,
      topK: r.preferences?.top_k ?? DEFAULTS.topK,
      weights: weights ?? { ...DEFAULTS.weights },
      horizonMinutes: r.preferences?.recommendation_horizon_minutes ?? DEFAULTS.horizonMinutes,
      maxMissingRatio: opt(r.data_contract?.quality_flags?.max_missing_ratio),
      maxStalenessSeconds: opt(r.data_contract?.quality_flags?.max_staleness_seconds),
      missing,
      document,
    },
  };
}
