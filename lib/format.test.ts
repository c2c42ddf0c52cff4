import { describe, expect, it } from "vitest";
import { formatAxis, formatNumber, formatUtc, formatUtcDay, NONE } from "./format";

describe("formatting for people", () => {
  it("groups digits, fixes the decimals and says — for what is missing", () => {
    expect(formatNumber(1234.567, 1)).toBe("1,234.6");
    expect(formatNumber(1.5, 3)).toBe("1.500");
    expect(formatNumber(-0.04, 1)).toBe("0.0");
    expect(formatNumber(-0.06, 1)).toBe("-0.1");
    expect([null, undefined, Number.NaN, Infinity].map((v) => formatNumber(v, 2))).toEqual([NONE, NONE, NONE, NONE]);
  });

  it("writes chart values without needless decimals", () => {
    expect(formatAxis(1916.4)).toBe("1,916");
    expect(formatAxis(132.684)).toBe("132.68");
    expect(formatAxis(1.5)).toBe("1.5");
  });

  it("writes instants in UTC and says so", () => {
    const at = new Date("2026-11-20T14:07:59.999Z");
    expect(formatUtc(at)).toBe("2026-11-20 14:07 UTC");
    expect(formatUtc(null)).toBe(NONE);
    expect(formatUtcDay(at.getTime())).toBe("2026-11-20");
  });
});
