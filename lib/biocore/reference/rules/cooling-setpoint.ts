// Raise the cooling (CRAH supply) setpoint within the thermal headroom: rack inlets rise about 1:1
// with the setpoint, and the chiller saves CHILLER_SAVING_SHARE_PER_C of its power per °C (lower
// lift; US DOE FEMP / LBNL data-centre guidance).
import {
  ASHRAE_RECOMMENDED_MAX_INLET_C,
  CHILLER_SAVING_SHARE_PER_C,
  HOURS_PER_DAY,
  INLET_RISE_PER_SETPOINT_C,
  SAFETY_MARGIN_C,
  SETPOINT_MAX_C,
  SETPOINT_STEP_C,
} from "../constants";
import { floorSteps, fmt, round } from "../numbers";
import { loadingBlocked, type ThermalBudget } from "../thermal-budget";
import type { EngineInput, Evaluation, RuleOutcome } from "../types";
import { co2eKg, targetOf } from "./target";

const STEPS_PER_C = Math.round(1 / SETPOINT_STEP_C);

/** Chiller power change (kW, negative = saving) of a setpoint raise of deltaC. */
export const setpointKwDelta = (chillerKw: number, deltaC: number): number =>
  -chillerKw * CHILLER_SAVING_SHARE_PER_C * deltaC;

export function coolingSetpointRule(input: EngineInput, budget: ThermalBudget | null): RuleOutcome {
  const blocked = loadingBlocked(input, budget);
  if (blocked) return { note: `cooling setpoint: ${blocked.note}`, degraded: blocked.degraded };
  if (input.setpointC === undefined || input.chillerKw === undefined)
    return { note: "cooling setpoint: the setpoint or chiller power is missing", degraded: true };
  if (input.maxSetpointChangeC <= 0)
    return { note: "cooling setpoint: max_setpoint_change_c is 0, so no setpoint change is proposed", degraded: false };
  const b = budget!;
  const setpointC = input.setpointC;
  const chillerKw = input.chillerKw;
  const currentC = round(setpointC, 3);
  const boundC = Math.min(
    input.maxSetpointChangeC,
    SETPOINT_MAX_C - currentC,
    (b.ceilingC - b.p95InletC) / INLET_RISE_PER_SETPOINT_C,
  );
  const steps = floorSteps(boundC, STEPS_PER_C);
  if (steps < 1)
    return {
      note: `cooling setpoint: less than ${SETPOINT_STEP_C} °C of room below the ceiling, the change limit or the ${SETPOINT_MAX_C} °C maximum`,
      degraded: false,
    };
  const sizes = Array.from({ length: steps }, (_, i) => (steps - i) / STEPS_PER_C);

  const evaluate = (deltaC: number): Evaluation => {
    const riseC = deltaC * INLET_RISE_PER_SETPOINT_C;
    const kw = setpointKwDelta(chillerKw, deltaC);
    const predictedC = b.p95InletC + riseC;
    const reasonCodes = ["THERMAL_HEADROOM", "CHILLER_LIFT_REDUCTION"];
    if (predictedC > ASHRAE_RECOMMENDED_MAX_INLET_C) reasonCodes.push("ABOVE_ASHRAE_RECOMMENDED");
    return {
      category: "cooling_setpoint",
      action: {
        type: "setpoint_change",
        target: targetOf(input.assets, "crah-setpoint"),
        current: currentC,
        suggested: Number((currentC + deltaC).toFixed(3)),
        delta: deltaC,
        units: "C",
      },
      loading: true,
      inletRiseC: riseC,
      ownRisk: 0,
      facilityKwDelta: kw,
      co2eKgPerDayDelta: co2eKg(kw * HOURS_PER_DAY, input.carbonGPerKwh),
      thermalScore: 0,
      workloadScore: 0,
      reasonCodes,
      organismTags: ["cooling", "chiller"],
      narrative: (risk) =>
        `Rack inlet p95 is ${fmt(b.p95InletC, 1)} °C against a ${fmt(b.limitC, 1)} °C limit; with a ${fmt(SAFETY_MARGIN_C, 1)} °C safety margin the ceiling is ${fmt(b.ceilingC, 1)} °C. ` +
        `Raising the cooling setpoint from ${fmt(currentC, 1)} to ${fmt(currentC + deltaC, 1)} °C (${fmt(deltaC, 1, true)} °C, limit ±${fmt(input.maxSetpointChangeC, 1)} °C) is predicted to bring p95 to ${fmt(predictedC, 1)} °C ` +
        `and to cut chiller power by ${fmt(CHILLER_SAVING_SHARE_PER_C * 100 * deltaC, 1)} % (${fmt(CHILLER_SAVING_SHARE_PER_C * 100, 0)} % per °C of ${fmt(chillerKw, 1)} kW): ${fmt(kw, 1)} kW, ${fmt(kw * HOURS_PER_DAY, 0)} kWh a day. ` +
        `Risk ${fmt(risk, 2)} (max ${fmt(input.maxRiskScore, 2)}). A suggestion only: nothing is sent to the plant.`,
    };
  };
  return { candidate: { category: "cooling_setpoint", sizes, evaluate } };
}
