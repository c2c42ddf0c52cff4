import { describe, expect, it } from "vitest";
import {
  formatAxis,
  formatDecimal,
  formatKwh,
  formatNumber,
  formatPercent,
  formatUtc,
  formatUtcDay,
  NONE,
} from "./format";

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

  it("writes statistics, percentages and energy one way on screen and in PDFs", () => {
    expect(formatDecimal(0.85714)).toBe("0.857");
    expect(formatDecimal(2)).toBe("2");
    expect(formatDecimal(-0.0001)).toBe("0");
    expect(formatDecimal(12345.6789, 1)).toBe("12,345.7");
    expect(formatPercent(0.1234)).toBe("12.3 %");
    expect(formatPercent(0.5, 0)).toBe("50 %");
    expect(formatPercent(-0.0001)).toBe("0.0 %");
    expect(formatKwh(1234.5)).toBe("1,235 kWh");
    expect(formatKwh(-1234.5)).toBe("-1,235 kWh");
    expect(formatKwh(1234.5, { signed: true })).toBe("+1,235 kWh");
    expect(formatKwh(0.2, { signed: true })).toBe("0 kWh");
    expect([formatDecimal(null), formatPercent(undefined), formatKwh(Number.NaN)]).toEqual([NONE, NONE, NONE]);
  });
});
