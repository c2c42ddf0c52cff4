// Relative periods ("last 6 h", "today", "this week"…) resolved at a given instant; the expected
// instants are worked out by hand from the calendar.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DashboardQuerySchema, dashboardQueryString } from "./filter";
import { RANGE_KEYS, resolveRange, type RelativeRange } from "./range";

const iso = (range: RelativeRange, now: string) => {
  const p = resolveRange(range, new Date(now));
  return [p.from.toISOString(), p.to.toISOString()];
};

describe("resolveRange", () => {
  // Wednesday 4 March 2026, 15:27:31.250 UTC (1 March 2026 is a Sunday).
  const now = "2026-03-04T15:27:31.250Z";
  it.each([
    ["last_6h", "2026-03-04T09:27:31.250Z", now],
    ["last_24h", "2026-03-03T15:27:31.250Z", now],
    ["today", "2026-03-04T00:00:00.000Z", now],
    ["yesterday", "2026-03-03T00:00:00.000Z", "2026-03-04T00:00:00.000Z"],
    ["this_week", "2026-03-02T00:00:00.000Z", now],
    ["this_month", "2026-03-01T00:00:00.000Z", now],
    ["last_7d", "2026-02-25T15:27:31.250Z", now],
    ["last_30d", "2026-02-02T15:27:31.250Z", now],
  ] as const)("%s on a Wednesday afternoon", (range, from, to) => {
    expect(iso(range, now)).toEqual([from, to]);
  });

  it("starts the week on the previous Monday when now is a Sunday", () => {
    expect(iso("this_week", "2026-03-01T23:59:59.999Z")).toEqual([
      "2026-02-23T00:00:00.000Z",
      "2026-03-01T23:59:59.999Z",
    ]);
  });

  it("starts the week today when now is a Monday", () => {
    expect(iso("this_week", "2026-03-02T08:00:00.000Z")).toEqual([
      "2026-03-02T00:00:00.000Z",
      "2026-03-02T08:00:00.000Z",
    ]);
  });

  it("crosses the year for yesterday and this week on 1 January", () => {
    // 1 January 2027 is a Friday.
    const jan1 = "2027-01-01T00:30:00.000Z";
    expect(iso("yesterday", jan1)).toEqual(["2026-12-31T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    expect(iso("this_week", jan1)).toEqual(["2026-12-28T00:00:00.000Z", jan1]);
    expect(iso("this_month", jan1)).toEqual(["2027-01-01T00:00:00.000Z", jan1]);
  });

  it("counts 29 February in a leap year's last 30 days", () => {
    expect(iso("last_30d", "2028-03-15T12:00:00.000Z")).toEqual([
      "2028-02-14T12:00:00.000Z",
      "2028-03-15T12:00:00.000Z",
    ]);
  });

  it("never ends after now nor starts after it ends", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...RANGE_KEYS),
        fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }),
        async (range, now) => {
          const p = resolveRange(range, now);
          expect(p.to.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(p.from.getTime()).toBeLessThanOrEqual(p.to.getTime());
          expect(now.getTime() - p.from.getTime()).toBeLessThanOrEqual(31 * 86_400_000);
        },
      ),
    );
  });
});

describe("the range filter", () => {
  it("accepts a relative range and keeps it in the URL instead of the period", () => {
    const q = DashboardQuerySchema.parse({ range: "last_6h", period: "custom" });
    expect(q.range).toBe("last_6h");
    expect(dashboardQueryString(q)).toBe("range=last_6h");
  });

  it("names the allowed values when the range is unknown", () => {
    const r = DashboardQuerySchema.safeParse({ range: "last_6_hours" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["range"]);
    expect(r.error?.issues[0]?.message).toContain('"last_6h"');
  });
});
