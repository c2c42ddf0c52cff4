import { describe, expect, it } from "vitest";
import { isoInstant } from "./iso-instant";

describe("isoInstant", () => {
  it("normalizes to UTC", () => {
    expect(isoInstant().parse("2026-06-01T02:00:00+02:00")).toBe("2026-06-01T00:00:00.000Z");
  });

  // Found by fuzzing POST /api/v1/recommendations/{id}/implementation and /api/v1/mv/studies.
  it.each(["", "x".repeat(10_000), "2026-13-01T00:00:00Z", "NaN", "0000-06-01T00:00:00Z"])(
    "refuses %j without throwing",
    (text) => {
      expect(isoInstant().safeParse(text).success).toBe(false);
    },
  );
});
