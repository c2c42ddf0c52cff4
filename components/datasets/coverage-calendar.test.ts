// The coverage calendar's days: every UTC day of the version, each the share of expected rows present.
import { describe, expect, it } from "vitest";
import { calendarDays } from "./coverage-calendar";

describe("calendarDays", () => {
  it("lists every day from the first to the last, empty days at 0, the share over every series", () => {
    const days = calendarDays(
      [
        {
          series: "a",
          days: [
            { day: "2026-03-01", rows: 96 },
            { day: "2026-03-03", rows: 48 },
          ],
        },
        { series: "b", days: [{ day: "2026-03-01", rows: 96 }] },
      ],
      900,
      "2026-03-01",
      "2026-03-04",
    );
    expect(days.map((d) => [d.day, d.share])).toEqual([
      ["2026-03-01", 1],
      ["2026-03-02", 0],
      ["2026-03-03", 0.25],
      ["2026-03-04", 0],
    ]);
    expect(days[0]!.expected).toBe(192);
  });
});
