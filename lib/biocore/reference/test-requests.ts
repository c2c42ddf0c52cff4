// Requests for the engine's tests: the contract's example, normalized by the pilot's own chain,
// and random valid normalized requests (every rule input optional, every value within the
// contract's ranges).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { validateEnterprise } from "@/lib/mass/validate-enterprise";

export const EXAMPLE_NOW = new Date("2026-11-20T14:05:00Z");

type Doc = Record<string, unknown>;
export type Req = {
  request: {
    timestamp_utc: string;
    signals: Record<string, Doc>;
    constraints: { hard: Doc; soft: Doc };
    preferences: Doc;
    data_contract: Doc & { quality_flags?: Doc };
    mode: string;
  } & Doc;
} & Doc;

/** The contract's example enterprise request, validated and normalized as the pilot stores it. */
export function exampleRequest(): Req {
  const raw = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as unknown;
  const v = validateEnterprise(raw, { now: EXAMPLE_NOW });
  if (!v.ok) throw new Error(`the example no longer validates: ${JSON.stringify(v.issues)}`);
  return v.normalized as unknown as Req;
}

/** A deep copy of the example with `edit` applied. */
export function exampleWith(edit: (r: Req) => void): Req {
  const doc = exampleRequest();
  edit(doc);
  return doc;
}

type Num = (min: number, max: number) => fc.Arbitrary<number>;
/** Readings with three decimals, spread over the range like real telemetry. */
const decimal: Num = (min, max) =>
  fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) }).map((n) => n / 1000);
/** Any double in the range, extremes and subnormals included. */
const anyDouble: Num = (min, max) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
/** Present five times in six: absences stay common, yet every rule gets all its inputs often. */
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });
type ValueOf<A> = A extends fc.Arbitrary<infer U> ? U : never;
/** A record whose every key may be absent (dropped, as a normalized request drops it). */
function someOf<T extends Record<string, fc.Arbitrary<unknown>>>(
  shape: T,
): fc.Arbitrary<{ [K in keyof T]?: ValueOf<T[K]> }> {
  const optional = Object.fromEntries(Object.entries(shape).map(([k, a]) => [k, maybe(a)]));
  return fc
    .record(optional)
    .map(
      (o) =>
        Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: ValueOf<T[K]> },
    );
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Random valid normalized requests, answered at EXAMPLE_NOW. */
const requestsOf = (dbl: Num) =>
  fc
    .record({
      energy: someOf({
        it_load_kw: dbl(0, 5000),
        facility_extra_kw: dbl(0, 3000),
        carbon_intensity_gco2_per_kwh: dbl(0, 2000),
        energy_price_usd_per_kwh: dbl(0, 10),
      }),
      thermal: someOf({
        p95: fc.oneof(
          { arbitrary: dbl(-10, 60), weight: 1 },
          { arbitrary: fc.record({ below_limit_c: dbl(-3, 8) }), weight: 3 },
        ),
        hotspot_rack_count: fc.nat(8),
      }),
      cooling: someOf({
        cooling_setpoint_c: dbl(5, 35),
        chiller_kw: dbl(0, 2000),
        fan_power_kw: dbl(0, 500),
        cooling_valve_position_pct: dbl(0, 100),
      }),
      batch_pct: maybe(dbl(0, 100)),
      hard: someOf({
        max_setpoint_change_c: fc.oneof(fc.constant(0), dbl(0, 5)),
        max_hotspot_rack_count: fc.nat(20),
        max_rack_inlet_p95_c: dbl(15, 45),
      }),
      soft: someOf({ max_risk_score: dbl(0, 1), prefer_lower_carbon: fc.boolean() }),
      weights: maybe(fc.tuple(dbl(0, 1), dbl(0, 1), dbl(0.01, 1))),
      preferences: someOf({
        top_k: fc.integer({ min: 1, max: 20 }),
        recommendation_horizon_minutes: fc.integer({ min: 1, max: 10080 }),
      }),
      quality: someOf({ max_missing_ratio: dbl(0, 1), max_staleness_seconds: fc.nat(7200) }),
      mode: fc.constantFrom("shadow", "advisory"),
      ageSeconds: fc.nat(7200),
    })
    .map((g) => {
      const doc = exampleRequest();
      const r = doc.request;
      const nowMs = EXAMPLE_NOW.getTime();
      r.timestamp_utc = iso(nowMs - g.ageSeconds * 1000);
      r.mode = g.mode;

      const energy: Doc = {};
      if (g.energy.it_load_kw !== undefined) energy.it_load_kw = g.energy.it_load_kw;
      if (g.energy.facility_extra_kw !== undefined)
        energy.facility_power_kw = (g.energy.it_load_kw ?? 0) + g.energy.facility_extra_kw;
      if (g.energy.carbon_intensity_gco2_per_kwh !== undefined)
        energy.carbon_intensity_gco2_per_kwh = g.energy.carbon_intensity_gco2_per_kwh;
      if (g.energy.energy_price_usd_per_kwh !== undefined)
        energy.energy_price_usd_per_kwh = g.energy.energy_price_usd_per_kwh;
      const thermal: Doc = {};
      const p95 = g.thermal.p95;
      if (typeof p95 === "number") thermal.p95_rack_inlet_c = p95;
      else if (p95)
        thermal.p95_rack_inlet_c = Math.min(
          60,
          Math.max(-10, ((g.hard.max_rack_inlet_p95_c as number | undefined) ?? 27) - p95.below_limit_c),
        );
      if (g.thermal.hotspot_rack_count !== undefined) thermal.hotspot_rack_count = g.thermal.hotspot_rack_count;
      r.signals = {
        energy,
        thermal,
        cooling: { ...g.cooling },
        workload: g.batch_pct === undefined ? {} : { job_mix: { batch_pct: g.batch_pct } },
      };
      r.constraints = { hard: { no_control_actions: true, ...g.hard }, soft: { ...g.soft } };
      const preferences: Doc = { ...g.preferences };
      if (g.weights) {
        const [e, t, w] = g.weights;
        const sum = e + t + w;
        preferences.objective_weights = { energy: e / sum, thermal_risk: t / sum, workload_efficiency: w / sum };
      }
      r.preferences = preferences;
      r.data_contract.quality_flags = { missing_allowed: true, ...g.quality };
      return doc;
    });

export const requestArbitrary = requestsOf(decimal);
export const extremeRequestArbitrary = requestsOf(anyDouble);
