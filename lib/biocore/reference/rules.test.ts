// Each rule on the example with one thing changed: the physics it states, the constraints it
// keeps, and the ranking and limits the request sets.
import { describe, expect, it } from "vitest";
import {
  CHILLER_SAVING_SHARE_PER_C,
  HOTSPOT_FAN_BOOST_PCT,
  HOURS_PER_DAY,
  LOW_CARBON_INTENSITY_REDUCTION,
  SAFETY_MARGIN_C,
} from "./constants";
import { recommend } from "./index";
import { EXAMPLE_NOW, exampleWith, type Req } from "./test-requests";

const run = (edit: (d: Req) => void) => recommend(exampleWith(edit), { now: EXAMPLE_NOW }).response;
const categories = (edit: (d: Req) => void) => run(edit).recommendations.map((r) => r.category);
const rec = (edit: (d: Req) => void, category: string) =>
  run(edit).recommendations.find((r) => r.category === category);

/** The example with only the cooling-setpoint rule in play, and no risk limit in the way. */
const setpointOnly =
  (edit: (d: Req) => void = () => {}) =>
  (d: Req) => {
    delete d.request.signals.cooling!.fan_power_kw;
    d.request.constraints.soft.prefer_lower_carbon = false;
    d.request.constraints.soft.max_risk_score = 1;
    d.request.data_contract.quality_flags!.max_missing_ratio = 1;
    edit(d);
  };

describe("cooling setpoint: raise within the thermal headroom", () => {
  it.each<[string, number, number, number]>([
    // p95 °C, limit °C, max change °C → expected raise °C (0.1 °C steps, rounded down)
    ["headroom binds", 25.1, 27, 1.5],
    ["change limit binds", 22, 27, 1.5],
    ["limit not a multiple of the step", 22, 27, 0.25],
    ["ceiling a hair above p95", 25.95, 27, 1.5],
  ])("%s", (_name, p95, limit, maxChange) => {
    const r = rec(
      setpointOnly((d) => {
        d.request.signals.thermal!.p95_rack_inlet_c = p95;
        d.request.constraints.hard.max_rack_inlet_p95_c = limit;
        d.request.constraints.hard.max_setpoint_change_c = maxChange;
      }),
      "cooling_setpoint",
    );
    // decimal arithmetic, as a person would do it (the engine compares within 1e-9 °C)
    const expected = Math.floor(Math.round(Math.min(maxChange, limit - SAFETY_MARGIN_C - p95) * 1e6) / 1e5) / 10;
    if (expected < 0.1) {
      expect(r).toBeUndefined();
      return;
    }
    expect(r!.action.delta).toBe(expected);
    expect(p95 + expected).toBeLessThanOrEqual(limit - SAFETY_MARGIN_C + 1e-9);
    // a raise of d °C saves the documented share of chiller power, for 24 h
    const kw = -412.3 * CHILLER_SAVING_SHARE_PER_C * expected;
    expect(r!.expected_impact.facility_power_kw_delta).toBeCloseTo(kw, 3);
    expect(r!.expected_impact.co2e_kg_per_day_delta).toBeCloseTo((kw * HOURS_PER_DAY * 182) / 1000, 2);
    expect(r!.expected_impact.pue_delta).toBeCloseTo(kw / 1840.5, 5);
  });

  it("proposes nothing when max_setpoint_change_c is 0", () => {
    expect(
      rec(
        setpointOnly((d) => void (d.request.constraints.hard.max_setpoint_change_c = 0)),
        "cooling_setpoint",
      ),
    ).toBeUndefined();
  });

  it("proposes nothing at or above the ceiling", () => {
    const r = run(setpointOnly((d) => void (d.request.signals.thermal!.p95_rack_inlet_c = 26)));
    expect(r.recommendations).toEqual([]);
    expect(r.status.message).toContain("no thermal headroom");
  });

  it("adds risk when the predicted p95 ends above ASHRAE's recommended 27 °C", () => {
    const edit = (p95: number) =>
      setpointOnly((d) => {
        d.request.signals.thermal!.p95_rack_inlet_c = p95;
        d.request.constraints.hard.max_rack_inlet_p95_c = p95 + 3;
        d.request.constraints.hard.max_setpoint_change_c = 1;
      });
    const cool = run(edit(24));
    const warm = run(edit(26.5));
    expect(warm.recommendations[0]!.explainability.reason_codes).toContain("ABOVE_ASHRAE_RECOMMENDED");
    expect(warm.summary.risk_score).toBeGreaterThan(cool.summary.risk_score);
  });
});

describe("fan speed: lower while the valve leaves room (affinity law)", () => {
  const fanOnly = (valvePct: number) => (d: Req) => {
    delete d.request.signals.cooling!.chiller_kw;
    d.request.signals.cooling!.cooling_valve_position_pct = valvePct;
    d.request.constraints.soft.prefer_lower_carbon = false;
    d.request.constraints.soft.max_risk_score = 1;
    d.request.data_contract.quality_flags!.max_missing_ratio = 1;
  };

  it.each<[number, number]>([
    [63, 10], // (85 − 63) × 0.5 = 11, capped at 10
    [75, 5],
    [82.5, 1],
    [84, 0],
    [90, 0],
  ])("valve %d %% → speed −%d %%", (valvePct, cutPct) => {
    const r = rec(fanOnly(valvePct), "fan_speed");
    if (cutPct === 0) return expect(r).toBeUndefined();
    expect(r!.action.delta).toBe(-cutPct);
    expect(r!.expected_impact.facility_power_kw_delta).toBeCloseTo(-96.4 * (1 - (1 - cutPct / 100) ** 3), 3);
  });
});

describe("hotspot mitigation: when hotspots or the p95 inlet exceed their limits", () => {
  it("raises airflow against hotspots over the cap, at the affinity-law cost, and adds no heat", () => {
    const r = run((d) => void (d.request.signals.thermal!.hotspot_rack_count = 4));
    expect(r.recommendations.map((x) => x.category)).toEqual(["hotspot_mitigation", "workload_shift"]);
    const h = r.recommendations[0]!;
    expect(h.action).toMatchObject({ type: "fan_speed_change", delta: HOTSPOT_FAN_BOOST_PCT });
    expect(h.expected_impact.facility_power_kw_delta).toBeCloseTo(
      96.4 * ((1 + HOTSPOT_FAN_BOOST_PCT / 100) ** 3 - 1),
      3,
    );
    expect(h.explainability.reason_codes).toEqual(["HOTSPOT_LIMIT_EXCEEDED", "AIRFLOW_INCREASE"]);
    expect(r.status.message).toBeNull();
  });

  it("answers a p95 inlet over its limit, even on an energy-only objective", () => {
    const r = run((d) => {
      d.request.signals.thermal!.p95_rack_inlet_c = 27.5;
      d.request.preferences.objective_weights = { energy: 1, thermal_risk: 0, workload_efficiency: 0 };
    });
    expect(r.recommendations[0]!.category).toBe("hotspot_mitigation");
    expect(r.recommendations[0]!.explainability.reason_codes).toContain("P95_INLET_ABOVE_LIMIT");
    expect(r.recommendations.some((x) => x.category === "cooling_setpoint" || x.category === "fan_speed")).toBe(false);
  });

  it("without fan power, proposes an airflow rebalance with no energy estimate", () => {
    const h = rec((d) => {
      d.request.signals.thermal!.hotspot_rack_count = 5;
      delete d.request.signals.cooling!.fan_power_kw;
    }, "hotspot_mitigation")!;
    expect(h.action).toEqual({
      type: "airflow_rebalance",
      target: "mad1/mad1-f1/z3/hot-racks",
      current: 5,
      suggested: 3,
      delta: -2,
      units: "racks",
    });
    expect(h.expected_impact).toEqual({ facility_power_kw_delta: 0, pue_delta: 0, co2e_kg_per_day_delta: 0 });
  });

  it("keeps heat-adding changes out when the hotspot count cannot be checked against its cap", () => {
    expect(categories((d) => void delete d.request.signals.thermal!.hotspot_rack_count)).toEqual(["workload_shift"]);
  });
});

describe("workload shift: batch work to lower-carbon hours", () => {
  it("moves the deferrable batch energy of the horizon at an assumed 15 % lower intensity", () => {
    const r = rec(() => {}, "workload_shift")!;
    // 1840.5 kW IT × (2576.7 / 1840.5) × 38 % batch × 50 % deferrable × 4 h horizon
    const movedKwh = 2576.7 * 0.38 * 0.5 * 4;
    expect(r.expected_impact.co2e_kg_per_day_delta).toBeCloseTo(
      (-movedKwh * 182 * LOW_CARBON_INTENSITY_REDUCTION) / 1000,
      2,
    );
    expect(r.expected_impact.facility_power_kw_delta).toBe(0);
    expect(r.action).toEqual({
      type: "workload_shift",
      target: "mad1/mad1-f1/c07/batch-queue",
      current: 38,
      suggested: 19,
      delta: -19,
      units: "% of job mix",
    });
  });

  it("is not proposed without prefer_lower_carbon", () => {
    expect(categories((d) => void (d.request.constraints.soft.prefer_lower_carbon = false))).not.toContain(
      "workload_shift",
    );
  });
});

describe("ranking and the request's limits", () => {
  it("honours top_k, keeping the best-ranked", () => {
    expect(categories((d) => void (d.request.preferences.top_k = 1))).toEqual(["fan_speed"]);
  });

  it("drops everything riskier than max_risk_score", () => {
    expect(categories((d) => void (d.request.constraints.soft.max_risk_score = 0))).toEqual([]);
    expect(categories((d) => void (d.request.constraints.soft.max_risk_score = 0.1))).toEqual(["workload_shift"]);
    expect(run((d) => void (d.request.constraints.soft.max_risk_score = 0.1)).summary.risk_score).toBeLessThanOrEqual(
      0.1,
    );
  });

  it("follows the objective weights", () => {
    const weights = (energy: number, thermal_risk: number, workload_efficiency: number) => (d: Req) =>
      void (d.request.preferences.objective_weights = { energy, thermal_risk, workload_efficiency });
    // thermal risk only: nothing that adds heat or delays work is worth it
    expect(categories(weights(0, 1, 0))).toEqual([]);
    // energy only: every saving, the largest share first (with prefer_lower_carbon, a CO2e share counts)
    expect(categories(weights(1, 0, 0))).toEqual(["fan_speed", "workload_shift", "cooling_setpoint"]);
  });
});
