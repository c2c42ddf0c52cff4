// Mitigate hotspots when they exceed the request's cap, or when the p95 inlet is already over its
// limit: more airflow to the zone (fan affinity law gives its energy cost), or, without a fan power
// reading, an airflow rebalance (containment, blanking panels, tiles) with no energy estimate.
import { HOTSPOT_FAN_BOOST_PCT, HOURS_PER_DAY, HOTSPOT_WORKLOAD_SCORE, RISK_FLOOR } from "../constants";
import { fmt } from "../numbers";
import type { EngineInput, Evaluation, RuleOutcome } from "../types";
import { fanKwDelta } from "./fan-speed";
import { co2eKg, targetOf } from "./target";

export function hotspotMitigationRule(input: EngineInput): RuleOutcome | null {
  const hot = input.hotspotRackCount;
  const cap = input.maxHotspotRackCount;
  const p95 = input.p95InletC;
  const overCap = hot !== undefined && cap !== undefined && hot > cap;
  const overLimit = p95 !== undefined && p95 > input.maxRackInletP95C;
  if (!overCap && !overLimit) return null;

  const findings = [
    overCap ? `${hot} hotspot racks exceed the cap of ${cap}` : null,
    overLimit ? `p95 rack inlet ${fmt(p95!, 1)} °C is over the ${fmt(input.maxRackInletP95C, 1)} °C limit` : null,
  ].filter(Boolean);
  const reasonCodes = [overCap ? "HOTSPOT_LIMIT_EXCEEDED" : null, overLimit ? "P95_INLET_ABOVE_LIMIT" : null].filter(
    (c): c is string => c !== null,
  );
  const fanKw = input.fanKw;

  const evaluate = (): Evaluation => {
    const base = {
      category: "hotspot_mitigation" as const,
      loading: false,
      inletRiseC: 0,
      ownRisk: RISK_FLOOR,
      thermalScore: 1,
      workloadScore: HOTSPOT_WORKLOAD_SCORE,
    };
    if (fanKw !== undefined && fanKw > 0) {
      const kw = fanKwDelta(fanKw, HOTSPOT_FAN_BOOST_PCT);
      return {
        ...base,
        action: {
          type: "fan_speed_change",
          target: targetOf(input.assets, "crah-fan-speed"),
          current: 100,
          suggested: 100 + HOTSPOT_FAN_BOOST_PCT,
          delta: HOTSPOT_FAN_BOOST_PCT,
          units: "% of current speed",
        },
        facilityKwDelta: kw,
        co2eKgPerDayDelta: co2eKg(kw * HOURS_PER_DAY, input.carbonGPerKwh),
        reasonCodes: [...reasonCodes, "AIRFLOW_INCREASE"],
        organismTags: ["thermal", "airflow"],
        narrative: (risk) =>
          `${findings.join("; ")}. Raising the CRAH fan speed by ${HOTSPOT_FAN_BOOST_PCT} % delivers more cold air to the hot racks at a cost of ${fmt(kw, 1, true)} kW ` +
          `(power ∝ speed³ of ${fmt(fanKw, 1)} kW), ${fmt(kw * HOURS_PER_DAY, 0, true)} kWh a day; check containment and blanking panels at the hot racks too. ` +
          `Risk ${fmt(risk, 2)}. A suggestion only: nothing is sent to the plant.`,
      };
    }
    return {
      ...base,
      action: {
        type: "airflow_rebalance",
        target: targetOf(input.assets, "hot-racks"),
        current: hot ?? null,
        suggested: overCap ? cap! : null,
        delta: overCap ? cap! - hot! : null,
        units: "racks",
      },
      facilityKwDelta: 0,
      co2eKgPerDayDelta: 0,
      reasonCodes: [...reasonCodes, "AIRFLOW_REBALANCE"],
      organismTags: ["thermal", "airflow"],
      narrative: (risk) =>
        `${findings.join("; ")}. Rebalance airflow to the hot racks (containment, blanking panels, perforated tiles); without a fan power reading its energy effect is not estimated. ` +
        `Risk ${fmt(risk, 2)}. A suggestion only: nothing is sent to the plant.`,
    };
  };
  return { candidate: { category: "hotspot_mitigation", sizes: [1], evaluate } };
}
