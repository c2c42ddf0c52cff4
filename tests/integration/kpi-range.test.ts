// Relative ranges on the API: `range=` is resolved when the request is answered (ending now, not at
// the end of the data), and an unknown one is a 422 problem naming it and the allowed values.
import { describe, expect, it } from "vitest";
import { call, userWithRole } from "../support/http";

describe("GET /api/v1/kpi with a relative range", () => {
  it("resolves last_6h and today at request time", async () => {
    const { token } = await userWithRole("viewer");
    const before = Date.now();
    const res = await call("/api/v1/kpi?range=last_6h", { token });
    const after = Date.now();
    expect(res.status).toBe(200);
    const body = (await res.json()) as { period: { from: string; to: string } };
    const from = Date.parse(body.period.from);
    const to = Date.parse(body.period.to);
    expect(to - from).toBe(6 * 3_600_000);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(after);

    const today = (await (await call("/api/v1/kpi?range=today", { token })).json()) as {
      period: { from: string; to: string };
    };
    expect(today.period.from).toBe(`${new Date(Date.parse(today.period.to)).toISOString().slice(0, 10)}T00:00:00.000Z`);
  });

  it("answers an unknown range with a problem naming it", async () => {
    const { token } = await userWithRole("viewer");
    const res = await call("/api/v1/kpi?range=last_6_hours", { token });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0]!.pointer).toBe("/range");
    expect(problem.errors[0]!.detail).toContain('"last_6h"');
  });
});
