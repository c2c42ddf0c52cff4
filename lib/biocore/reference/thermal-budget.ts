// The thermal budget every heat-adding change shares: the predicted p95 rack inlet after all of
// them together stays at least SAFETY_MARGIN_C below the request's limit, and their combined risk
// stays within max_risk_score. Risk model: docs/BIOCORE-REFERENCE.md § "Risk score".
import {
  ASHRAE_RECOMMENDED_MAX_INLET_C,
  RISK_FLOOR,
  RISK_HOTSPOT_WEIGHT,
  RISK_PER_C_ABOVE_RECOMMENDED,
  RISK_PER_HEADROOM_SHARE,
  SAFETY_MARGIN_C,
  TOLERANCE,
} from "./constants";
import { clamp, fmt } from "./numbers";
import type { EngineInput } from "./types";

export type ThermalBudget = {
  p95InletC: number;
  limitC: number;
  /** The highest predicted p95 inlet allowed: limit − safety margin. */
  ceilingC: number;
  /** Whether changes adding riseC to the p95 inlet keep it at or below the ceiling. */
  fits: (riseC: number) => boolean;
  /** Risk (0–1) of changes that together add riseC to the p95 inlet. */
  risk: (riseC: number) => number;
};

export function thermalBudget(input: EngineInput): ThermalBudget | null {
  const p95 = input.p95InletC;
  if (p95 === undefined) return null;
  const limitC = input.maxRackInletP95C;
  const ceilingC = limitC - SAFETY_MARGIN_C;
  const headroomC = limitC - p95;
  const cap = input.maxHotspotRackCount;
  const hot = input.hotspotRackCount;
  const hotspotTerm =
    cap !== undefined && cap > 0 && hot !== undefined ? RISK_HOTSPOT_WEIGHT * Math.min(1, hot / cap) : 0;
  return {
    p95InletC: p95,
    limitC,
    ceilingC,
    fits: (riseC) => p95 + riseC <= ceilingC + TOLERANCE,
    risk: (riseC) => {
      if (headroomC <= 0) return 1;
      const aboveRecommended = Math.max(0, p95 + riseC - ASHRAE_RECOMMENDED_MAX_INLET_C);
      return clamp(
        RISK_FLOOR +
          (RISK_PER_HEADROOM_SHARE * riseC) / headroomC +
          hotspotTerm +
          RISK_PER_C_ABOVE_RECOMMENDED * aboveRecommended,
        0,
        1,
      );
    },
  };
}

/**
 * Why no heat-adding change (setpoint raise, fan-speed cut) may be proposed, or null when one may.
 * Such a change is assumed not to add hotspots while the predicted p95 stays below the ceiling,
 * so it needs the hotspot count within its cap; a count that cannot be checked blocks it.
 */
export function loadingBlocked(
  input: EngineInput,
  budget: ThermalBudget | null,
): { note: string; degraded: boolean } | null {
  if (!budget)
    return {
      note: "p95 rack inlet is missing, so no heat-adding change can be checked against the inlet limit",
      degraded: true,
    };
  const cap = input.maxHotspotRackCount;
  if (cap !== undefined) {
    if (input.hotspotRackCount === undefined)
      return { note: `hotspot rack count is missing, so the cap of ${cap} cannot be checked`, degraded: true };
    if (input.hotspotRackCount > cap)
      return {
        note: `${input.hotspotRackCount} hotspot racks exceed the cap of ${cap}, so no heat-adding change is proposed`,
        degraded: false,
      };
  }
  if (!(budget.p95InletC < budget.ceilingC)) {
    return {
      note: `no thermal headroom: p95 inlet ${fmt(budget.p95InletC, 1)} °C is not below the ${fmt(budget.ceilingC, 1)} °C ceiling (limit ${fmt(budget.limitC, 1)} °C − ${fmt(SAFETY_MARGIN_C, 1)} °C margin)`,
      degraded: false,
    };
  }
  return null;
}
