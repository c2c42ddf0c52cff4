import { describe, expect, it } from "vitest";
import { HOUR_COPY_COLUMNS, DAY_COPY_COLUMNS } from "./measures";
import { p95BinOf, RollupAccumulator, type RollupInputRow } from "./accumulator";

const COLUMNS = ["it_load_kw", "facility_power_kw", "p95_rack_inlet_c", "hotspot_rack_count"];
const ids = { site_id: "s1", facility_id: null, cluster_id: "c1", zone_id: null };
const row = (iso: string, values: (number | null)[], intervalSeconds = 900): RollupInputRow => ({
  ids,
  ts: Date.parse(iso),
  intervalSeconds,
  values,
});

function run(rows: RollupInputRow[]) {
  const out = { hour: [] as Record<string, string>[], day: [] as Record<string, string>[] };
  const acc = new RollupAccumulator(
    COLUMNS,
    { tenantId: "t", versionId: "v", currency: null },
    {
      hour: (line) =>
        out.hour.push(
          Object.fromEntries(
            line
              .trimEnd()
              .split("\t")
              .map((v, i) => [HOUR_COPY_COLUMNS[i]!, v]),
          ),
        ),
      day: (line) =>
        out.day.push(
          Object.fromEntries(
            line
              .trimEnd()
              .split("\t")
              .map((v, i) => [DAY_COPY_COLUMNS[i]!, v]),
          ),
        ),
    },
  );
  for (const r of rows) acc.add(r);
  acc.finish();
  return { ...out, ordered: acc.ordered };
}

describe("RollupAccumulator", () => {
  it("emits one row per series and hour, and per day with its p95 readings sorted and counted per bin", () => {
    const { hour, day, ordered } = run([
      row("2026-03-01T10:00:00Z", [100, 150, 25.3, 0]),
      row("2026-03-01T10:15:00Z", [100, null, 25.1, 2]),
      row("2026-03-01T11:00:00Z", [200, 260, 25.2, null]),
      row("2026-03-02T00:00:00Z", [10, 20, null, 0]),
    ]);
    expect(ordered).toBe(true);
    expect(
      hour.map((h) => [
        h.bucket,
        h.rows,
        h.facility_kwh,
        h.it_kwh,
        h.pue_it_kwh,
        h.hotspot_readings,
        h.hotspot_hours,
        h.p95_inlet_count,
      ]),
    ).toEqual([
      ["2026-03-01T10:00:00.000Z", "2", "37.5", "50", "25", "2", "0.25", "2"],
      ["2026-03-01T11:00:00.000Z", "1", "65", "50", "50", "0", "\\N", "1"],
      ["2026-03-02T00:00:00.000Z", "1", "5", "2.5", "2.5", "1", "\\N", "0"],
    ]);
    expect(
      day.map((d) => [d.bucket, d.rows, d.facility_kwh, d.p95_inlet_sorted, d.p95_inlet_bins, d.p95_inlet_bin_counts]),
    ).toEqual([
      ["2026-03-01T00:00:00.000Z", "3", "102.5", "{25.1,25.2,25.3}", "{100,101}", "{2,1}"],
      ["2026-03-02T00:00:00.000Z", "1", "5", "\\N", "\\N", "\\N"],
    ]);
  });

  it("gives up when a series goes back in time (the loader then rebuilds in SQL)", () => {
    expect(
      run([row("2026-03-01T11:00:00Z", [1, 2, null, null]), row("2026-03-01T10:00:00Z", [1, 2, null, null])]).ordered,
    ).toBe(false);
    expect(
      run([row("2026-03-01T10:30:00Z", [1, 2, null, null]), row("2026-03-01T10:00:00Z", [1, 2, null, null])]).ordered,
    ).toBe(true);
  });

  it("bins a reading by floor(value × 4), exactly at the edges", () => {
    expect([25, 25.24, 25.25, -0.01, 1e9].map(p95BinOf)).toEqual([100, 100, 101, -1, 1_000_000]);
  });
});
