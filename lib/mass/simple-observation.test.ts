import { describe, expect, it } from "vitest";
import { observationFromSimple, simpleObservationWarnings } from "./extract-observation";
import { normalizeSimple } from "./normalize-simple";

// 2025-11-20T14:00:00Z, worked out by hand: 20,412 days after 1970-01-01 is 2025-11-20
// (20,412 × 86,400 = 1,763,596,800 s), plus 14 h (50,400 s).
const AT = 1_763_647_200;

const reading = (payload: Record<string, unknown>) => {
  const normalized = normalizeSimple(payload);
  const observation = observationFromSimple(normalized, "t1");
  return { observation, warnings: simpleObservationWarnings(normalized, observation) };
};

describe("MASS Simple readings", () => {
  it("reads timestamp_utc as ISO 8601, epoch seconds, epoch milliseconds, or a numeric string of either", () => {
    const expected = Date.UTC(2025, 10, 20, 14, 0, 0);
    expect(expected).toBe(AT * 1000);
    for (const timestamp of ["2025-11-20T14:00:00Z", AT, AT * 1000, String(AT), String(AT * 1000)]) {
      const { observation, warnings } = reading({
        site_id: "s1",
        timestamp_utc: timestamp,
        interval_seconds: 900,
        it_load_kw: 5,
      });
      expect(observation?.intervalStart.getTime(), String(timestamp)).toBe(expected);
      expect(observation?.intervalEnd.getTime(), String(timestamp)).toBe(expected + 900_000);
      expect(warnings, String(timestamp)).toEqual([]);
    }
  });

  it("takes a numeric site, cluster or zone id as the request's assets do", () => {
    const { observation } = reading({ site_id: "7", cluster_id: 3, zone_id: "007", timestamp_utc: AT, it_load_kw: 5 });
    expect(observation).toMatchObject({ siteId: "7", clusterId: "3", zoneId: "007" });
  });

  it("says why a payload with signals made no reading, and says nothing when there were no signals", () => {
    expect(reading({ site_id: "s1", it_load_kw: 5 }).warnings).toEqual([
      expect.objectContaining({ pointer: "/payload/timestamp_utc", code: "no_reading" }),
    ]);
    expect(reading({ site_id: "s1", timestamp_utc: "last tuesday", it_load_kw: 5 }).warnings).toEqual([
      expect.objectContaining({ pointer: "/payload/timestamp_utc", code: "no_reading" }),
    ]);
    expect(reading({ timestamp_utc: AT, it_load_kw: 5 }).warnings).toEqual([
      expect.objectContaining({ pointer: "/payload/site_id", code: "no_reading" }),
    ]);
    expect(reading({ site_id: "s1", note: "hello" }).warnings).toEqual([]);
    expect(reading({ site_id: "s1", timestamp_utc: true, it_load_kw: 5 }).observation).toBeNull();
  });
});
