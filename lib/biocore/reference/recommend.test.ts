import { describe, expect, it } from "vitest";
import { BioCoreHealthSchema, BioCoreResponseSchema, BioCoreVersionSchema } from "@/lib/biocore/contract";
import {
  checkGuardrails,
  INLET_RISE_PER_SETPOINT_C as PILOT_INLET_RISE_PER_SETPOINT_C,
} from "@/lib/biocore/guardrails";
import { payloadHash } from "@/lib/mass/payload-hash";
import { CONFIDENCE_MAX, INLET_RISE_PER_SETPOINT_C, STALE_CONFIDENCE_FACTOR } from "./constants";
import { recommend, referenceHealth, referenceVersion, REFERENCE_VERSION } from "./index";
import { RULE_INPUTS } from "./read-request";
import { EXAMPLE_NOW, exampleRequest, exampleWith } from "./test-requests";

const answer = (doc: unknown, now = EXAMPLE_NOW) => recommend(doc, { now });
type Warning = { pointer: string; code: string; message: string };
const pointers = (a: ReturnType<typeof answer>, code = "input_missing") =>
  (a.response.status.warnings as Warning[]).filter((w) => w.code === code).map((w) => w.pointer);

describe("the contract's example request", () => {
  const doc = exampleRequest();
  const a = answer(doc);
  const r = a.response;

  it("answers OK with recommendations that parse with BioCore's contract", () => {
    expect(BioCoreResponseSchema.parse(a)).toEqual(a);
    expect(r.status).toEqual({
      code: "OK",
      warnings: [],
      validation: { schema_valid: true, missing_ratio: 0, staleness_seconds: 295 },
      message: null,
      retryable: false,
    });
    expect(r.recommendations.length).toBeGreaterThan(0);
    expect(r.recommendations.length).toBeLessThanOrEqual(3);
  });

  it("echoes the request and names the model", () => {
    expect(a.schema_version).toBe("1.1");
    expect(a.correlation_id).toBe("corr-7f3a9c2e-1d4b-4e8a-9b61-0c2f5d8e4a13");
    expect(a.trace?.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(r.request_id).toBe("req-2026-11-20T14-00-mad1-c07");
    expect(r.idempotency_key).toBe("idem-mad1-c07-20261120T1400");
    expect(r.model).toEqual({ name: "pilot-reference", version: REFERENCE_VERSION, policy_id: "reference-shadow-v1" });
    expect(r.audit).toEqual({
      mode: "shadow",
      no_control_actions_enforced: true,
      latency_ms: 0,
      slo_ms: 1500,
      service_health: "ok",
    });
    expect(r.summary.guardrails).toEqual({ shadow_read_only_enforced: true, constraints_satisfied: true });
  });

  it("shares the 0.9 °C of headroom between the fan-speed cut and the setpoint raise, within risk 0.3", () => {
    // p95 25.1 °C, limit 27 °C, margin 1 °C: 0.9 °C to share. Fan −10 % adds 0.5 °C; the setpoint
    // gets the largest 0.1 °C step that keeps the combined risk ≤ 0.3: +0.3 °C.
    expect(r.recommendations.map((x) => x.category)).toEqual(["fan_speed", "workload_shift", "cooling_setpoint"]);
    const [fan, shift, setpoint] = r.recommendations;
    expect(fan!.action).toEqual({
      type: "fan_speed_change",
      target: "mad1/mad1-f1/z3/crah-fan-speed",
      current: 100,
      suggested: 90,
      delta: -10,
      units: "% of current speed",
    });
    expect(setpoint!.action).toEqual({
      type: "setpoint_change",
      target: "mad1/mad1-f1/z3/crah-setpoint",
      current: 18,
      suggested: 18.3,
      delta: 0.3,
      units: "C",
    });
    expect(shift!.action.target).toBe("mad1/mad1-f1/c07/batch-queue");
    expect(fan!.expected_impact.facility_power_kw_delta).toBeCloseTo(96.4 * (0.9 ** 3 - 1), 3);
    expect(setpoint!.expected_impact.facility_power_kw_delta).toBeCloseTo(-412.3 * 0.03 * 0.3, 3);
    expect(r.summary.risk_score).toBeLessThanOrEqual(0.3);
    expect(r.summary.estimated_impact_24h.energy_kwh).toBeCloseTo((96.4 * (0.9 ** 3 - 1) - 412.3 * 0.03 * 0.3) * 24, 1);
    expect(r.summary.estimated_impact_24h.energy_cost_usd).toBeCloseTo(
      r.summary.estimated_impact_24h.energy_kwh * 0.142,
      2,
    );
  });

  it("explains each recommendation in plain English with its numbers and reason codes", () => {
    const setpoint = r.recommendations.find((x) => x.category === "cooling_setpoint")!;
    expect(setpoint.explainability.narrative).toContain("25.1 °C against a 27.0 °C limit");
    expect(setpoint.explainability.narrative).toContain("from 18.0 to 18.3 °C");
    expect(setpoint.explainability.narrative).toContain("25.9 °C"); // with the fan cut
    expect(setpoint.explainability.reason_codes).toEqual(["THERMAL_HEADROOM", "CHILLER_LIFT_REDUCTION"]);
    expect(r.recommendations.every((x) => x.explainability.narrative.includes("nothing is sent"))).toBe(true);
  });

  it("traces every recommendation to the request's payload hash", () => {
    const ids = r.recommendations.map((x) => x.rec_id);
    expect(ids).toEqual(["rec-01", "rec-02", "rec-03"]);
    expect(r.recommendations.map((x) => x.priority)).toEqual([1, 2, 3]);
    for (const x of r.recommendations) {
      expect(x.trace.input_fingerprint).toBe(`sha256:${payloadHash(doc)}`);
      expect(x.trace.feature_set_version).toBe(referenceVersion().feature_set_version);
      expect(x.trace.generated_at_utc).toBe("2026-11-20T14:05:00Z");
      expect(x.trace.decision_id).toMatch(/^dec-[0-9a-f]{16}$/);
    }
    expect(new Set(r.recommendations.map((x) => x.trace.decision_id)).size).toBe(3);
    // the time the pilot normalized the request is outside the hashed part
    expect(
      answer({ ...doc, normalized_at_utc: "2026-11-20T14:00:06Z" }).response.recommendations[0]!.trace
        .input_fingerprint,
    ).toBe(`sha256:${payloadHash(doc)}`);
  });

  it("passes the pilot's own guardrail check, with the same inlet-rise assumption", () => {
    expect(INLET_RISE_PER_SETPOINT_C).toBe(PILOT_INLET_RISE_PER_SETPOINT_C);
    const check = checkGuardrails(doc, a);
    expect(check.answer).toEqual([]);
    expect(Object.values(check.perRecommendation).flat()).toEqual([]);
  });
});

describe("determinism and purity", () => {
  it("gives a deep-equal, byte-identical answer to the same request and now", () => {
    const one = answer(exampleRequest());
    const two = answer(exampleRequest());
    expect(two).toEqual(one);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it("takes its clock from the caller: a later now changes only the times", () => {
    const later = new Date(EXAMPLE_NOW.getTime() + 60_000);
    const one = answer(exampleRequest());
    const two = answer(exampleRequest(), later);
    expect(two.response.status.validation.staleness_seconds).toBe(
      one.response.status.validation.staleness_seconds + 60,
    );
    expect(two.response.recommendations.map((x) => x.trace.generated_at_utc)).toEqual([
      "2026-11-20T14:06:00Z",
      "2026-11-20T14:06:00Z",
      "2026-11-20T14:06:00Z",
    ]);
    const strip = (x: typeof one) =>
      JSON.stringify({
        ...x.response,
        status: null,
        recommendations: x.response.recommendations.map((rec) => ({
          ...rec,
          trace: { ...rec.trace, generated_at_utc: null },
        })),
      });
    expect(strip(two)).toBe(strip(one));
  });

  it("never changes its input", () => {
    const doc = exampleRequest();
    const before = JSON.stringify(doc);
    answer(doc);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it("reports a request from the future as 0 s stale", () => {
    expect(
      answer(exampleRequest(), new Date("2026-11-20T13:00:00Z")).response.status.validation.staleness_seconds,
    ).toBe(0);
  });
});

describe("missing and stale inputs: DEGRADED with warnings, never a crash", () => {
  it("without thermal signals, proposes no heat-adding change and says why", () => {
    const a = answer(exampleWith((d) => void (d.request.signals.thermal = {})));
    const r = a.response;
    expect(BioCoreResponseSchema.safeParse(a).success).toBe(true);
    expect(r.status.code).toBe("DEGRADED");
    expect(pointers(a)).toEqual([
      "/request/signals/thermal/p95_rack_inlet_c",
      "/request/signals/thermal/hotspot_rack_count",
    ]);
    expect(r.status.validation.missing_ratio).toBeCloseTo(2 / RULE_INPUTS.length, 4);
    expect(r.recommendations.map((x) => x.category)).toEqual(["workload_shift"]);
    expect(r.status.message).toContain("p95 rack inlet is missing");
    expect(r.summary.confidence).toBeCloseTo(CONFIDENCE_MAX * (1 - r.status.validation.missing_ratio), 2);
  });

  it("without any signal, answers DEGRADED with nothing to recommend", () => {
    const a = answer(exampleWith((d) => void (d.request.signals = {})));
    expect(BioCoreResponseSchema.safeParse(a).success).toBe(true);
    expect(a.response.status.code).toBe("DEGRADED");
    expect(a.response.recommendations).toEqual([]);
    expect(a.response.status.validation.missing_ratio).toBeCloseTo(11 / RULE_INPUTS.length, 4);
    expect(a.response.summary.estimated_impact_24h).toEqual({
      energy_kwh: 0,
      energy_cost_usd: 0,
      pue_delta: 0,
      co2e_kg: 0,
    });
    expect(a.response.status.message).toContain("No change recommended");
  });

  it("without constraints and preferences, applies its documented defaults and warns", () => {
    const a = answer(
      exampleWith((d) => {
        delete (d.request as Record<string, unknown>).constraints;
        delete (d.request as Record<string, unknown>).preferences;
      }),
    );
    expect(a.response.status.code).toBe("DEGRADED");
    expect(pointers(a)).toEqual(
      RULE_INPUTS.map(([p]) => p).filter(
        (p) => p.startsWith("/request/constraints") || p.startsWith("/request/preferences"),
      ),
    );
    expect(a.response.recommendations.length).toBeLessThanOrEqual(3);
    expect(a.response.summary.risk_score).toBeLessThanOrEqual(0.3);
  });

  it("without a price, reports costs as 0", () => {
    const a = answer(exampleWith((d) => void delete d.request.signals.energy!.energy_price_usd_per_kwh));
    expect(pointers(a)).toEqual(["/request/signals/energy/energy_price_usd_per_kwh"]);
    expect(a.response.summary.estimated_impact_24h.energy_cost_usd).toBe(0);
    expect(a.response.summary.estimated_impact_24h.energy_kwh).toBeLessThan(0);
  });

  it("flags a request older than its max_staleness_seconds and halves the confidence", () => {
    const a = answer(exampleRequest(), new Date("2026-11-20T14:15:06Z"));
    expect(a.response.status.code).toBe("DEGRADED");
    expect(a.response.status.warnings).toEqual([
      {
        pointer: "/request/timestamp_utc",
        code: "stale_input",
        message: "the request is 901 s old, over its max_staleness_seconds of 900",
      },
    ]);
    expect(a.response.summary.confidence).toBeCloseTo(CONFIDENCE_MAX * STALE_CONFIDENCE_FACTOR, 2);
  });

  it("flags a missing ratio over the request's max_missing_ratio", () => {
    const a = answer(exampleWith((d) => void delete d.request.signals.cooling!.fan_power_kw));
    expect(a.response.status.warnings.map((w) => (w as { code: string }).code)).toEqual([
      "input_missing",
      "missing_ratio_exceeded",
    ]);
  });
});

describe("a document that is not a usable enterprise request: INVALID_INPUT, never a throw", () => {
  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "recommend me"],
    ["an array", [1, 2]],
    ["an empty object", {}],
    ["another schema version", exampleWith((d) => void (d.schema_version = "1.0-simple"))],
    ["an unknown mode", exampleWith((d) => void (d.request.mode = "control"))],
    [
      "a numeric string where a number belongs",
      exampleWith((d) => void (d.request.signals.thermal!.p95_rack_inlet_c = "25.1")),
    ],
    [
      "a value out of the contract's range",
      exampleWith((d) => void (d.request.constraints.hard.max_setpoint_change_c = 9)),
    ],
    ["a power beyond any data centre", exampleWith((d) => void (d.request.signals.cooling!.chiller_kw = 1e9))],
  ])("%s", (_name, doc) => {
    const a = answer(doc);
    expect(BioCoreResponseSchema.safeParse(a).success).toBe(true);
    expect(a.response.status.code).toBe("INVALID_INPUT");
    expect(a.response.status.validation.schema_valid).toBe(false);
    expect(a.response.status.retryable).toBe(false);
    expect(a.response.recommendations).toEqual([]);
    expect(a.response.status.message).toMatch(/^Not a usable MASS v1.1 enterprise request: /);
    expect(a.response.audit.no_control_actions_enforced).toBe(true);
  });

  it("still echoes what it can and points at the problem", () => {
    const a = answer(exampleWith((d) => void (d.request.signals.thermal!.p95_rack_inlet_c = "25.1")));
    expect(a.response.request_id).toBe("req-2026-11-20T14-00-mad1-c07");
    expect(a.correlation_id).toBe("corr-7f3a9c2e-1d4b-4e8a-9b61-0c2f5d8e4a13");
    expect(a.response.audit).toMatchObject({ mode: "shadow", slo_ms: 1500 });
    expect(pointers(a, "invalid_input")).toEqual(["/request/signals/thermal/p95_rack_inlet_c"]);
  });
});

describe("health and version", () => {
  it("answer in the contract's shapes", () => {
    expect(BioCoreHealthSchema.parse(referenceHealth(EXAMPLE_NOW))).toEqual({
      status: "ok",
      checked_at_utc: "2026-11-20T14:05:00Z",
    });
    expect(BioCoreVersionSchema.parse(referenceVersion())).toEqual({
      name: "pilot-reference",
      version: REFERENCE_VERSION,
      model_version: "reference-rules-1",
      feature_set_version: "ref-fs-1",
      policy_id: "reference-shadow-v1",
    });
  });
});
