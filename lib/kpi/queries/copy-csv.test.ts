import { describe, expect, it } from "vitest";
import { inlineSql, sqlLiteral } from "./copy-csv";

describe("COPY's bind values", () => {
  it("inlines bind values as escaped literals", () => {
    expect(
      inlineSql("select $1, $2, $10", ["it's", new Date("2026-01-01T00:00:00Z"), 3, 4, 5, 6, 7, 8, 9, ["a'b", "c\\d"]]),
    ).toBe("select 'it''s', '2026-01-01T00:00:00.000Z'::timestamptz, array['a''b',  E'c\\\\d']::text[]");
    expect(sqlLiteral(null)).toBe("null");
    expect(() => sqlLiteral({})).toThrow(/cannot inline/);
    expect(() => inlineSql("select $2", [1])).toThrow(/no value/);
  });
});
