import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { IdlePollSampler } from "./sampler";

const sampler = new IdlePollSampler();
const decide = (context: typeof ROOT_CONTEXT, name: string) =>
  sampler.shouldSample(context, "0".repeat(31) + "1", name, SpanKind.INTERNAL, {}, []).decision;
const under = (flags: number) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags: flags });

describe("the idle-poll sampler", () => {
  it("drops a trace that starts with a bare database query (a background loop polling)", () => {
    expect(decide(ROOT_CONTEXT, "prisma:client:operation")).toBe(0);
    expect(decide(ROOT_CONTEXT, "pg.query:SELECT")).toBe(0);
  });

  it("records a root span of real work, and a query inside recorded work", () => {
    expect(decide(ROOT_CONTEXT, "POST /api/v1/mass/generate")).toBe(2);
    expect(decide(ROOT_CONTEXT, "biocore.recommend")).toBe(2);
    expect(decide(under(TraceFlags.SAMPLED), "prisma:client:operation")).toBe(2);
  });

  it("follows its parent's decision (a caller's unsampled trace stays unsampled)", () => {
    expect(decide(under(TraceFlags.NONE), "mass.ingest")).toBe(0);
  });
});
