import { describe, expect, it } from "vitest";
import { AuditFilterSchema, auditFilterToQuery, firstValues } from "./audit-filter";

describe("audit filter", () => {
  it("parses URL params, taking zone-less date-times as UTC, and round-trips to a query", () => {
    const filter = AuditFilterSchema.parse(
      firstValues(new URLSearchParams("from=2026-11-01T10:00&action=auth.&result=denied&actor=")),
    );
    expect(filter.from?.toISOString()).toBe("2026-11-01T10:00:00.000Z");
    expect(filter.actor).toBeUndefined();
    const again = AuditFilterSchema.parse(firstValues(new URLSearchParams(auditFilterToQuery(filter))));
    expect(again).toEqual(filter);
  });

  it("reports a bad date", () => {
    const result = AuditFilterSchema.safeParse({ from: "yesterday-ish" });
    expect(result.success).toBe(false);
  });
});

describe("firstValues", () => {
  it("keeps the first value of each key and drops empty ones", async () => {
    const { firstValues } = await import("./audit-filter");
    expect(firstValues(new URLSearchParams("a=1&a=2&b=&c=x"))).toEqual({ a: "1", c: "x" });
    expect(firstValues({ a: ["1", "2"], b: "", c: undefined, d: "y" })).toEqual({ a: "1", d: "y" });
  });
});
