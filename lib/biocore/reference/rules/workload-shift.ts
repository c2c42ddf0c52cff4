// With prefer_lower_carbon, defer part of the batch work planned within the horizon to lower-carbon
// hours: the same energy at a lower grid intensity (location-based carbon accounting, GHG Protocol
// Scope 2). The request has no intensity forecast, so the reduction is an assumption.
import {
  HOURS_PER_DAY,
  LOW_CARBON_INTENSITY_REDUCTION,
  SHIFT_HORIZON_CAP_HOURS,
  SHIFT_RISK,
  SHIFT_WORKLOAD_SCORE,
  SHIFTABLE_BATCH_SHARE,
} from "../constants";
import { fmt, round } from "../numbers";
import type { EngineInput, Evaluation, RuleOutcome } from "../types";
import { targetOf } from "./target";

/** Facility energy (kWh) moved by the shift: IT load × facility/IT × batch share × deferrable share × hours. */
export function shiftedKwh(input: Pick<EngineInput, "itKw" | "facilityKw" | "batchPct" | "horizonMinutes">): number {
  const itKw = input.itKw ?? 0;
  const overhead = input.facilityKw !== undefined && itKw > 0 ? Math.max(1, input.facilityKw / itKw) : 1;
  const hours = Math.min(input.horizonMinutes / 60, SHIFT_HORIZON_CAP_HOURS);
  return itKw * overhead * ((input.batchPct ?? 0) / 100) * SHIFTABLE_BATCH_SHARE * hours;
}

export function workloadShiftRule(input: EngineInput): RuleOutcome | null {
  if (!input.preferLowerCarbon) return null;
  if (input.itKw === undefined || input.batchPct === undefined || input.carbonGPerKwh === undefined) {
    return { note: "workload shift: IT load, batch share or carbon intensity is missing", degraded: true };
  }
  const kwh = shiftedKwh(input);
  if (!(kwh > 0) || input.carbonGPerKwh <= 0)
    return { note: "workload shift: no batch energy or no grid carbon to avoid", degraded: false };
  const carbon = input.carbonGPerKwh;
  const batchPct = input.batchPct;
  const co2 = -(kwh * carbon * LOW_CARBON_INTENSITY_REDUCTION) / 1000;
  const hours = Math.min(input.horizonMinutes / 60, SHIFT_HORIZON_CAP_HOURS);
  const currentPct = round(batchPct, 3);
  const suggestedPct = round(currentPct * (1 - SHIFTABLE_BATCH_SHARE), 3);

  const evaluate = (): Evaluation => ({
    category: "workload_shift",
    action: {
      type: "workload_shift",
      target: targetOf(input.assets, "batch-queue", "cluster"),
      current: currentPct,
      suggested: suggestedPct,
      delta: round(suggestedPct - currentPct, 3),
      units: "% of job mix",
    },
    loading: false,
    inletRiseC: 0,
    ownRisk: SHIFT_RISK,
    facilityKwDelta: 0,
    co2eKgPerDayDelta: co2,
    thermalScore: 0,
    workloadScore: SHIFT_WORKLOAD_SCORE,
    reasonCodes: ["PREFER_LOWER_CARBON", "BATCH_DEFERRABLE"],
    organismTags: ["workload", "carbon"],
    narrative: (risk) =>
      `Lower-carbon operation is preferred and batch jobs are ${fmt(batchPct, 0)} % of the job mix. Deferring ${fmt(SHIFTABLE_BATCH_SHARE * 100, 0)} % of the batch work planned in the next ${fmt(hours, 1)} h ` +
      `moves about ${fmt(kwh, 0)} kWh (facility energy) to hours assumed ${fmt(LOW_CARBON_INTENSITY_REDUCTION * 100, 0)} % cleaner than the current ${fmt(carbon, 0)} g CO2e/kWh: ` +
      `${fmt(co2, 1)} kg CO2e within ${HOURS_PER_DAY} h, same energy. Latency-sensitive work is not moved. Risk ${fmt(risk, 2)} (a deadline may slip). A suggestion only: nothing is sent to any scheduler.`,
  });
  return { candidate: { category: "workload_shift", sizes: [1], evaluate } };
}
