import { describe, expect, it } from "vitest";
import { heatmapBuckets, heatmapGrid, MAX_COLUMNS } from "./heatmap";

const d = (s: string) => new Date(`${s}Z`);

describe("rack-inlet heatmap buckets", () => {
  it("gives a day from 10:30 hourly columns from 10:00", () => {
    const { stepSeconds, starts } = heatmapBuckets({ from: d("2026-06-01T10:30"), to: d("2026-06-02T10:30") });
    expect(stepSeconds).toBe(3600);
    // 10:00 (holding 10:30–11:00) … 10:00 the next day (holding 10:00–10:30): 25 columns.
    expect(starts).toHaveLength(25);
    expect(starts[0]).toEqual(d("2026-06-01T10:00"));
    expect(starts[24]).toEqual(d("2026-06-02T10:00"));
  });

  it("gives a week 6-hour columns and 30 days daily ones, never more than the maximum", () => {
    const week = heatmapBuckets({ from: d("2026-06-01T00:00"), to: d("2026-06-08T00:00") });
    expect(week.stepSeconds).toBe(6 * 3600);
    expect(week.starts).toHaveLength(28);
    const month = heatmapBuckets({ from: d("2026-05-09T13:00"), to: d("2026-06-08T13:00") });
    expect(month.stepSeconds).toBe(86_400);
    expect(month.starts[0]).toEqual(d("2026-05-09T00:00"));
    expect(month.starts).toHaveLength(31);
    const year = heatmapBuckets({ from: d("2025-06-08T00:00"), to: d("2026-06-08T00:00") });
    expect(year.stepSeconds).toBe(14 * 86_400);
    expect(year.starts.length).toBeLessThanOrEqual(MAX_COLUMNS);
  });

  it("places each zone's rows in their columns, empty elsewhere, tenants named only when several", () => {
    const starts = [d("2026-06-01T00:00"), d("2026-06-01T01:00"), d("2026-06-01T02:00")];
    const row = (tenant: string, zone: string, bucket: string, mean: number) => ({
      tenant_id: tenant,
      zone,
      bucket: d(bucket),
      mean,
      max: mean + 1,
      readings: 4,
    });
    const one = heatmapGrid(
      [row("t1", "s1 / z2", "2026-06-01T02:00", 25), row("t1", "s1 / z1", "2026-06-01T00:00", 22)],
      3600,
      starts,
    );
    expect(one.zones.map((z) => z.label)).toEqual(["s1 / z1", "s1 / z2"]);
    expect(one.zones[0]!.cells).toEqual([{ mean: 22, max: 23, readings: 4 }, null, null]);
    expect(one.zones[1]!.cells).toEqual([null, null, { mean: 25, max: 26, readings: 4 }]);
    expect([one.min, one.max]).toEqual([22, 25]);
    const two = heatmapGrid(
      [row("t1", "s1 / z1", "2026-06-01T00:00", 22), row("t2", "s1 / z1", "2026-06-01T01:00", 23)],
      3600,
      starts,
    );
    expect(two.zones.map((z) => z.label)).toEqual(["s1 / z1 (t1)", "s1 / z1 (t2)"]);
    expect(() => heatmapGrid([row("t1", "z", "2026-06-01T00:30", 1)], 3600, starts)).toThrow(/not a column/);
  });
});
