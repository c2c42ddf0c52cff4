import { describe, expect, it } from "vitest";
import { optionalInstant } from "./query-values";

describe("optionalInstant", () => {
  it("reads ISO dates, zone-less date-times as UTC, and empty as absent", () => {
    expect(optionalInstant.parse("2026-06-01T00:00")?.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(optionalInstant.parse("")).toBeUndefined();
  });

  // Found by fuzzing: a year JavaScript accepts but PostgreSQL does not answered 500.
  it.each(["-091507-12-10T06:44:14.290Z", "+146054-05-12T12:08:41.426Z", "0000-01-01", "0000-12-31T23:59:59.999Z"])(
    "refuses %s, outside the years 1–9999",
    (text) => {
      expect(optionalInstant.safeParse(text).success).toBe(false);
    },
  );
});
