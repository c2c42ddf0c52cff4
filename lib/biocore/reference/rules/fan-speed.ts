// Lower the CRAH fan speed while the chilled-water valve leaves room to open further: the coil
// keeps the supply temperature with more water and less air, and fan power falls with the cube of
// speed (fan affinity laws).
import {
  FAN_AFFINITY_EXPONENT,
  FAN_INLET_RISE_C_PER_PCT,
  FAN_REDUCTION_PCT_PER_VALVE_PCT,
  HOURS_PER_DAY,
  MAX_FAN_REDUCTION_PCT,
  VALVE_CEILING_PCT,
} from "../constants";
import { floorSteps, fmt } from "../numbers";
import { loadingBlocked, type ThermalBudget } from "../thermal-budget";
import type { EngineInput, Evaluation, RuleOutcome } from "../types";
import { co2eKg, targetOf } from "./target";

/** Fan power change (kW) for a speed change of speedChangePct % (negative = slower), by the affinity law. */
export const fanKwDelta = (fanKw: number, speedChangePct: number): number =>
  fanKw * ((1 + speedChangePct / 100) ** FAN_AFFINITY_EXPONENT - 1);

export function fanSpeedRule(input: EngineInput, budget: ThermalBudget | null): RuleOutcome {
  const blocked = loadingBlocked(input, budget);
  if (blocked) return { note: `fan speed: ${blocked.note}`, degraded: blocked.degraded };
  if (input.fanKw === undefined || input.valvePct === undefined)
    return { note: "fan speed: fan power or valve position is missing", degraded: true };
  if (input.fanKw <= 0) return { note: "fan speed: fan power is 0 kW, nothing to save", degraded: false };
  if (input.valvePct >= VALVE_CEILING_PCT)
    return {
      note: `fan speed: the cooling valve is at ${fmt(input.valvePct, 0)} %, no room below ${VALVE_CEILING_PCT} %`,
      degraded: false,
    };
  const b = budget!;
  const fanKw = input.fanKw;
  const valvePct = input.valvePct;
  const byValve = (VALVE_CEILING_PCT - valvePct) * FAN_REDUCTION_PCT_PER_VALVE_PCT;
  const byThermal = (b.ceilingC - b.p95InletC) / FAN_INLET_RISE_C_PER_PCT;
  const steps = floorSteps(Math.min(MAX_FAN_REDUCTION_PCT, byValve, byThermal), 1);
  if (steps < 1)
    return {
      note: "fan speed: less than 1 % of speed can be given up within the valve and thermal room",
      degraded: false,
    };
  const sizes = Array.from({ length: steps }, (_, i) => steps - i);

  const evaluate = (cutPct: number): Evaluation => {
    const kw = fanKwDelta(fanKw, -cutPct);
    const riseC = cutPct * FAN_INLET_RISE_C_PER_PCT;
    const valveAfterPct = valvePct + cutPct / FAN_REDUCTION_PCT_PER_VALVE_PCT;
    return {
      category: "fan_speed",
      action: {
        type: "fan_speed_change",
        target: targetOf(input.assets, "crah-fan-speed"),
        current: 100,
        suggested: 100 - cutPct,
        delta: -cutPct,
        units: "% of current speed",
      },
      loading: true,
      inletRiseC: riseC,
      ownRisk: 0,
      facilityKwDelta: kw,
      co2eKgPerDayDelta: co2eKg(kw * HOURS_PER_DAY, input.carbonGPerKwh),
      thermalScore: 0,
      workloadScore: 0,
      reasonCodes: ["VALVE_HEADROOM", "FAN_AFFINITY_LAW"],
      organismTags: ["cooling", "airflow"],
      narrative: (risk) =>
        `The chilled-water valve is ${fmt(valvePct, 0)} % open, leaving room up to ${VALVE_CEILING_PCT} %. ` +
        `Lowering the CRAH fan speed by ${cutPct} % cuts fan power by ${fmt((-kw / fanKw) * 100, 1)} % (power ∝ speed³) of ${fmt(fanKw, 1)} kW: ${fmt(kw, 1)} kW, ${fmt(kw * HOURS_PER_DAY, 0)} kWh a day; ` +
        `the valve is expected to open to about ${fmt(valveAfterPct, 0)} % to hold the supply temperature, and p95 inlet to rise by about ${fmt(riseC, 2)} °C to ${fmt(b.p95InletC + riseC, 1)} °C (ceiling ${fmt(b.ceilingC, 1)} °C). ` +
        `Risk ${fmt(risk, 2)} (max ${fmt(input.maxRiskScore, 2)}). A suggestion only: nothing is sent to the plant.`,
    };
  };
  return { candidate: { category: "fan_speed", sizes, evaluate } };
}
