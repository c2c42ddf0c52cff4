// A study prefilled from before/after (14 + 14 days) is widened within the data until the default
// sufficiency rule can pass; a scope naming data that does not exist is one named field problem.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scopeProblem, type ScopeChoice } from "./scope-choices";
import { DEFAULT_SUFFICIENCY, sufficiencyText, sufficientPeriods } from "./study-form";

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const days = (from: string, to: string) => (ms(to) - ms(from)) / DAY;

describe("sufficientPeriods", () => {
  it("widens a 14 + 14 day comparison to a baseline of 28 days' data with 10 % missing tolerated", () => {
    const p = sufficientPeriods(
      { baselineFrom: "2026-05-18", baselineTo: "2026-06-01", reportingFrom: "2026-06-01", reportingTo: "2026-06-15" },
      { startMs: ms("2026-03-01"), endMs: ms("2026-07-01") },
    );
    expect(p).toEqual({
      baselineFrom: "2026-04-30",
      baselineTo: "2026-06-01",
      reportingFrom: "2026-06-01",
      reportingTo: "2026-06-15",
    });
    expect(DEFAULT_SUFFICIENCY.minBaselineDays).toBe(28);
    expect(sufficiencyText(DEFAULT_SUFFICIENCY)).toContain("≥ 28 days");
  });

  it("never shortens a period, never crosses the event, never reaches outside the data", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 90 }),
        async (before, after, dataBefore, dataAfter) => {
          const event = ms("2026-06-01");
          const input = {
            baselineFrom: new Date(event - before * DAY).toISOString().slice(0, 10),
            baselineTo: "2026-06-01",
            reportingFrom: "2026-06-01",
            reportingTo: new Date(event + after * DAY).toISOString().slice(0, 10),
          };
          const p = sufficientPeriods(input, { startMs: event - dataBefore * DAY, endMs: event + dataAfter * DAY });
          expect(p.baselineTo).toBe(input.baselineTo);
          expect(p.reportingFrom).toBe(input.reportingFrom);
          expect(days(p.baselineFrom, p.baselineTo)).toBeGreaterThanOrEqual(before);
          expect(days(p.reportingFrom, p.reportingTo)).toBeGreaterThanOrEqual(after);
          // Widened only as far as the data reaches, and to at least 32 days (28 ÷ 0.9) when it can.
          expect(days(p.baselineFrom, p.baselineTo)).toBe(Math.max(before, Math.min(dataBefore, 32)));
          expect(days(p.reportingFrom, p.reportingTo)).toBe(Math.max(after, Math.min(dataAfter, 8)));
        },
      ),
    );
  });
});

describe("scopeProblem", () => {
  const choices: ScopeChoice[] = [
    { tenantId: "t", siteId: "mad1", facilityId: null, clusterId: "c01", zoneId: null },
    { tenantId: "t", siteId: "mad1", facilityId: null, clusterId: "c02", zoneId: null },
    { tenantId: "t", siteId: "lon1", facilityId: null, clusterId: "c03", zoneId: null },
    { tenantId: "u", siteId: "par1", facilityId: null, clusterId: null, zoneId: null },
  ];
  it("accepts what the data holds", () => {
    expect(scopeProblem(choices, "t", { siteId: "mad1", clusterId: "c02" })).toBeNull();
    expect(scopeProblem(choices, "t", { clusterId: "c03" })).toBeNull();
    expect(scopeProblem(choices, "t", {})).toBeNull();
  });
  it("names the first level the data does not hold, as its form field", () => {
    expect(scopeProblem(choices, "t", { siteId: "mad2" })).toEqual({
      pointer: "/site_id",
      detail: 'no stored data for site "mad2" of tenant t',
    });
    expect(scopeProblem(choices, "t", { siteId: "mad1", clusterId: "c03" })?.pointer).toBe("/cluster_id");
    // Another tenant's site is not this tenant's data.
    expect(scopeProblem(choices, "t", { siteId: "par1" })?.pointer).toBe("/site_id");
  });
});
