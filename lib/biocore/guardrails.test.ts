import { describe, expect, it } from "vitest";
import example from "@/lib/mass/examples/biocore-response.json";
import request from "@/lib/mass/examples/enterprise-request.json";
import { BioCoreResponseSchema } from "./contract";
import { checkGuardrails } from "./guardrails";

const answer = () => BioCoreResponseSchema.parse(structuredClone(example));

describe("checkGuardrails", () => {
  it("passes the contract's example answer to the contract's example request", () => {
    const check = checkGuardrails(request, answer());
    expect(check.answer).toEqual([]);
    expect(check.perRecommendation).toEqual({ "rec-01": [] });
  });

  it("flags an answer that does not enforce no control actions in shadow mode", () => {
    const a = answer();
    a.response.audit.no_control_actions_enforced = false;
    expect(checkGuardrails(request, a).answer[0]).toMatch(/^no_control_actions_not_enforced/);
  });

  it("flags a setpoint change over max_setpoint_change_c and one that would push p95 inlet over its limit", () => {
    const a = answer();
    const rec = a.response.recommendations[0]!;
    Object.assign(rec.action, { current: 18, suggested: 21, delta: 3 });
    const req = structuredClone(request) as typeof request;
    req.request.constraints.hard.max_setpoint_change_c = 2;
    req.request.signals.thermal.p95_rack_inlet_c = 25.1;
    req.request.constraints.hard.max_rack_inlet_p95_c = 27;
    const flags = checkGuardrails(req, a).perRecommendation["rec-01"]!;
    expect(flags.map((f) => f.split(":")[0])).toEqual(["max_setpoint_change_exceeded", "p95_inlet_limit_exceeded"]);
  });

  it("flags a delta that contradicts current and suggested", () => {
    const a = answer();
    Object.assign(a.response.recommendations[0]!.action, { current: 18, suggested: 19.5, delta: 0.5 });
    expect(checkGuardrails(request, a).perRecommendation["rec-01"]![0]).toMatch(/^setpoint_delta_inconsistent/);
  });
});
