// Every number the reference engine reasons with, in one place. Sources and reasoning are in
// docs/BIOCORE-REFERENCE.md (§ "Constants"); a constant marked "assumption" is an engineering
// choice of this engine, not a published figure.

export const REFERENCE_VERSION = "1.0.0";
export const MODEL_NAME = "pilot-reference";
export const MODEL_VERSION = "reference-rules-1";
export const POLICY_ID = "reference-shadow-v1";
export const FEATURE_SET_VERSION = "ref-fs-1";

export const HOURS_PER_DAY = 24;
/** Largest power reading the engine accepts (10 GW, above any data centre); keeps every result finite. */
export const MAX_POWER_KW = 1e7;
/** Limits are compared with this tolerance (°C, kW): far below any sensor, above floating-point noise. */
export const TOLERANCE = 1e-9;
/** Smallest IT load a PUE delta is reported for; below it the ratio is meaningless. */
export const MIN_IT_KW_FOR_PUE = 1;

// ── Thermal envelope ──────────────────────────────────────────────────────────────────────────
/** Upper bound of the recommended inlet envelope, classes A1–A4 (ASHRAE TC 9.9 Thermal Guidelines, 18–27 °C). */
export const ASHRAE_RECOMMENDED_MAX_INLET_C = 27;
/** Kept between the predicted p95 rack inlet and the request's limit (assumption: sensor accuracy plus intra-window spread). */
export const SAFETY_MARGIN_C = 1;
/** Rack inlet rise per °C of cooling setpoint raise: supply air tracks the setpoint (assumption, 1:1). */
export const INLET_RISE_PER_SETPOINT_C = 1;

// ── Cooling setpoint ──────────────────────────────────────────────────────────────────────────
/** Share of chiller electrical power saved per °C of setpoint raise (US DOE FEMP / LBNL guidance: ~1–2 % per °F ≈ 2–4 % per °C). */
export const CHILLER_SAVING_SHARE_PER_C = 0.03;
/** Setpoint changes are proposed in steps of 0.1 °C, rounded down (never up) to a step. */
export const SETPOINT_STEP_C = 0.1;
/** Highest setpoint the contract accepts (MASS v1.1 §1: cooling_setpoint_c 5–35). */
export const SETPOINT_MAX_C = 35;

// ── Fans ──────────────────────────────────────────────────────────────────────────────────────
/** Fan affinity law: power ∝ speed³ (ASHRAE Handbook – HVAC Systems and Equipment; US DOE fan system sourcebook). */
export const FAN_AFFINITY_EXPONENT = 3;
/** Highest chilled-water valve opening the engine plans for, keeping control authority (assumption). */
export const VALVE_CEILING_PCT = 85;
/** Fan-speed reduction (% points) allowed per % point of valve travel left below the ceiling (assumption). */
export const FAN_REDUCTION_PCT_PER_VALVE_PCT = 0.5;
/** Largest fan-speed reduction proposed at once, % of the current speed (assumption). */
export const MAX_FAN_REDUCTION_PCT = 10;
/** p95 inlet rise per % point of fan-speed reduction, from less airflow margin and more recirculation (assumption). */
export const FAN_INLET_RISE_C_PER_PCT = 0.05;
/** Fan-speed increase proposed against hotspots, % of the current speed (assumption). */
export const HOTSPOT_FAN_BOOST_PCT = 5;

// ── Workload shift ────────────────────────────────────────────────────────────────────────────
/** Share of the batch work planned within the horizon assumed deferrable (assumption). */
export const SHIFTABLE_BATCH_SHARE = 0.5;
/** Grid intensity of the target hours relative to now: 15 % lower (assumption; no forecast in the request). */
export const LOW_CARBON_INTENSITY_REDUCTION = 0.15;
/** The shift looks at most one day ahead, whatever the horizon. */
export const SHIFT_HORIZON_CAP_HOURS = 24;

// ── Risk (0–1) ────────────────────────────────────────────────────────────────────────────────
/** Risk of any proposed change, however small. */
export const RISK_FLOOR = 0.05;
/** Added risk per unit share of the thermal headroom (limit − p95) a set of changes consumes. */
export const RISK_PER_HEADROOM_SHARE = 0.4;
/** Added risk at a hotspot count equal to its cap (scaled by count / cap). */
export const RISK_HOTSPOT_WEIGHT = 0.1;
/** Added risk per °C the predicted p95 inlet ends above ASHRAE's recommended 27 °C. */
export const RISK_PER_C_ABOVE_RECOMMENDED = 0.1;
/** Risk of deferring batch work (a deadline may be missed). */
export const SHIFT_RISK = 0.1;

// ── Ranking ───────────────────────────────────────────────────────────────────────────────────
/** A saving of this share of facility power (or of daily CO2e) scores 1 on the energy objective. */
export const ENERGY_SCORE_FULL_SHARE = 0.01;
/** Workload-efficiency score of hotspot mitigation (hot racks throttle) and of deferring batch work. */
export const HOTSPOT_WORKLOAD_SCORE = 0.5;
export const SHIFT_WORKLOAD_SCORE = -0.25;

// ── Confidence ────────────────────────────────────────────────────────────────────────────────
/** Confidence with every input present and fresh: rules of thumb never claim certainty. */
export const CONFIDENCE_MAX = 0.9;
/** Confidence factor when the request is older than its max_staleness_seconds. */
export const STALE_CONFIDENCE_FACTOR = 0.5;

// ── Defaults for absent constraints and preferences (each absence is a status warning) ────────
export const DEFAULTS = {
  maxSetpointChangeC: 1,
  maxRackInletP95C: ASHRAE_RECOMMENDED_MAX_INLET_C,
  maxRiskScore: 0.3,
  preferLowerCarbon: false,
  topK: 3,
  weights: { energy: 1 / 3, thermalRisk: 1 / 3, workloadEfficiency: 1 / 3 },
  horizonMinutes: 60,
  currency: "USD",
} as const;
