import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { mapHeader, matchHeader, slug } from "./columns";
import { csvRecords, CsvFormatError, utf8Guard } from "./csv-records";
import { QualityTracker } from "./quality";
import { parseRow, parseTimestampCell } from "./rows";

const roleName = (h: string) => {
  const r = matchHeader(h);
  return r === null ? null : r.kind === "signal" ? r.signal.name : r.kind === "id" ? r.name : r.kind;
};

describe("header matching", () => {
  it.each([
    ["timestamp_utc", "timestamp"],
    ["Timestamp", "timestamp"],
    ["Site ID", "site_id"],
    ["clusterId", "cluster_id"],
    ["ZONE", "zone_id"],
    ["IT load (kW)", "it_load_kw"],
    ["it_load_kw", "it_load_kw"],
    ["Facility Power [MW]", "facility_power_kw"],
    ["Outdoor temp (°F)", "outdoor_temp_c"],
    ["CPU util (%)", "cpu_util_avg"],
    ["Energy price USD per kWh", "energy_price_usd_per_kwh"],
    ["PUE", "pue_current"],
    ["interval", "interval"],
    ["vendor note", null],
    ["constructor", null],
    ["__proto__ (constructor)", null],
    ["IT load (furlongs)", null],
  ])("%s → %s", (header, expected) => {
    expect(roleName(header)).toBe(expected);
  });

  it("converts the units it names", () => {
    const mw = matchHeader("Facility power (MW)");
    const f = matchHeader("Outdoor temp (°F)");
    expect(mw?.kind === "signal" && mw.convert(1.5)).toBe(1500);
    expect(f?.kind === "signal" && f.convert(212)).toBe(100);
  });

  it("names missing, duplicated and unknown columns", () => {
    expect(mapHeader(["it_load_kw"]).errors.map((e) => e.column)).toEqual(["timestamp_utc", "site_id"]);
    expect(mapHeader(["timestamp_utc", "site_id", "it_load_kw", "IT load (kW)"]).errors).toEqual([
      { column: "IT load (kW)", message: 'names the same column as "it_load_kw"' },
    ]);
    expect(mapHeader(["timestamp_utc", "site_id", "foo"]).errors).toEqual([
      { column: "", message: "no signal column (e.g. it_load_kw, facility_power_kw)" },
    ]);
    expect(mapHeader(["timestamp_utc", "site_id", "it_load_kw", "foo"]).warnings).toEqual([
      { column: "foo", message: "unknown column, ignored" },
    ]);
    expect(slug("  Rack Inlet P95 ")).toBe("rack_inlet_p95");
  });
});

describe("row checks", () => {
  const headers = [
    "timestamp_utc",
    "site_id",
    "it_load_kw",
    "ups_efficiency_pct",
    "hotspot_rack_count",
    "cooling_setpoint_c",
  ];
  const mapping = mapHeader(headers);
  const row = (cells: string[]) => parseRow(cells, headers, mapping, 7);

  it.each([
    ["2026-01-01T01:00:00+01:00", "2026-01-01T00:00:00.000Z"],
    ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z"],
    ["2026-01-01 00:00", "2026-01-01T00:00:00.000Z"],
    ["2026-01-01T05:30:00+0530", "2026-01-01T00:00:00.000Z"],
    ["1767225600", "2026-01-01T00:00:00.000Z"],
    ["1767225600000", "2026-01-01T00:00:00.000Z"],
  ])("reads the timestamp %s as %s", (text, iso) => {
    expect(new Date(parseTimestampCell(text)!).toISOString()).toBe(iso);
  });

  it.each(["yesterday", "2026-13-01T00:00:00Z", "-5", "2026-01-01T00:00:00 PST"])(
    "refuses the timestamp %s",
    (text) => {
      expect(parseTimestampCell(text)).toBeNull();
    },
  );

  it("accepts values at the contract's bounds and refuses them just past", () => {
    expect(row(["2026-01-01T00:00:00Z", "s", "0", "100", "0", "5"]).problems).toEqual([]);
    expect(row(["2026-01-01T00:00:00Z", "s", "0", "0", "3", "35"]).problems).toEqual([]);
    expect(
      row(["2026-01-01T00:00:00Z", "s", "-0.001", "100.001", "1.5", "4.99"]).problems.map(
        (p) => `${p.column}: ${p.reason}`,
      ),
    ).toEqual([
      "it_load_kw: must be ≥ 0",
      "ups_efficiency_pct: must be between 0 and 100",
      "hotspot_rack_count: must be a whole number",
      "cooling_setpoint_c: must be between 5 and 35",
    ]);
  });

  it("treats empty and NA cells as missing values, and NaN or Infinity as errors", () => {
    const ok = row(["2026-01-01T00:00:00Z", "s", "", "NA", "n/a", "null"]);
    expect(ok.problems).toEqual([]);
    expect(ok.parsed?.values).toEqual([null, null, null, null]);
    expect(row(["2026-01-01T00:00:00Z", "s", "NaN", "Infinity", "0", "20"]).problems.map((p) => p.reason)).toEqual([
      "is not a number",
      "is not a number",
    ]);
  });

  it("names the row, column and value, and refuses a wrong field count", () => {
    expect(row(["2026-01-01T00:00:00Z", "", "1", "1", "1", "20"]).problems).toEqual([
      { row: 7, column: "site_id", value: "", reason: "is required" },
    ]);
    expect(row(["2026-01-01T00:00:00Z", "s"]).problems).toEqual([
      { row: 7, column: "", value: "", reason: "has 2 fields, the header has 6" },
    ]);
  });
});

describe("quality tracking", () => {
  const mapping = mapHeader(["timestamp_utc", "site_id", "it_load_kw", "cooling_setpoint_c"]);
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const parsed = (minute: number, load: number, site = "s1") => ({
    ts: t0 + minute * 60_000,
    ids: { site_id: site, facility_id: null, cluster_id: null, zone_id: null },
    intervalSeconds: null,
    values: [load, 22],
  });

  it("infers the interval despite a gap, drops duplicates, measures missing intervals", () => {
    const q = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 3600 });
    const ready = [0, 15, 45, 60, 60, 75, 90].flatMap((m, i) => q.add(parsed(m, 100 + i)));
    ready.push(...q.flush().ready);
    expect(ready.map((r) => r.intervalSeconds)).toEqual([900, 900, 900, 900, 900, 900]);
    const [s] = q.report((i) => mapping.signals[i]!.name);
    expect(s).toMatchObject({
      rows: 6,
      duplicates: 1,
      interval_seconds: 900,
      expected_intervals: 7,
      passes: { missing: false, staleness: true },
    });
    expect(s!.missing_ratio).toBeCloseTo(1 / 7, 6);
  });

  it("counts stale runs of measured values only", () => {
    const q = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 1800 });
    for (let m = 0; m <= 120; m += 15) q.add(parsed(m, m < 60 ? 100 : 250));
    q.flush();
    const [s] = q.report((i) => mapping.signals[i]!.name);
    // 100 kW for 45 minutes, then 250 kW for 60: two runs over the 30-minute limit; the
    // setpoint (22 °C throughout) is configuration, not a measurement.
    expect(s!.stale).toEqual([{ column: "it_load_kw", runs: 2, longest_seconds: 3600 }]);
    expect(s!.passes.staleness).toBe(false);
  });

  it("takes the interval from the interval_seconds column when there is one", () => {
    const q = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 3600 });
    for (const m of [0, 15, 30, 60]) q.add({ ...parsed(m, m), intervalSeconds: 900 });
    expect(q.flush()).toEqual({ ready: [], unresolved: 0 });
    expect(q.dominantInterval()).toBe(900);
    expect(q.report((i) => mapping.signals[i]!.name)[0]).toMatchObject({
      interval_seconds: 900,
      expected_intervals: 5,
      missing_ratio: 0.2,
    });
  });

  it("takes a single-row series' interval from a series that is itself still short", () => {
    const q = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 3600 });
    q.add(parsed(0, 1));
    q.add(parsed(15, 1));
    q.add(parsed(0, 1, "lonely"));
    const { ready, unresolved } = q.flush();
    expect(unresolved).toBe(0);
    expect(ready.map((r) => [r.ids.site_id, r.intervalSeconds])).toEqual([
      ["s1", 900],
      ["s1", 900],
      ["lonely", 900],
    ]);
  });

  it("takes a single-row series' interval from the others", () => {
    const q = new QualityTracker(mapping.signals, { maxMissingRatio: 0.05, maxStalenessSeconds: 3600 });
    for (const m of [0, 5, 10, 15]) q.add(parsed(m, 1));
    q.add(parsed(0, 1, "lonely"));
    const { ready, unresolved } = q.flush();
    expect(unresolved).toBe(0);
    expect(ready.map((r) => [r.ids.site_id, r.intervalSeconds])).toEqual([["lonely", 300]]);
  });
});

describe("byte and record streams", () => {
  async function records(input: string | Buffer[], max = 1_000_000) {
    const tap = { bytes: 0 };
    const source = Readable.from(typeof input === "string" ? [Buffer.from(input)] : input);
    const text = source.pipe(utf8Guard(max, tap));
    text.on("error", () => undefined);
    const out: string[][] = [];
    for await (const r of csvRecords(text)) out.push(r.cells);
    return { out, tap };
  }

  it("drops a BOM, reads CRLF and quoted commas, and counts bytes", async () => {
    const { out, tap } = await records('\ufeffa,b\r\n1,"x, y"\r\n\r\n2,z\r\n');
    expect(out).toEqual([
      ["a", "b"],
      ["1", "x, y"],
      ["2", "z"],
    ]);
    expect(tap.bytes).toBe(Buffer.byteLength('\ufeffa,b\r\n1,"x, y"\r\n\r\n2,z\r\n'));
  });

  it("keeps a multi-byte character split across chunks", async () => {
    const bytes = Buffer.from("a\nmünchen\n");
    const { out } = await records([bytes.subarray(0, 3), bytes.subarray(3)]);
    expect(out).toEqual([["a"], ["münchen"]]);
  });

  it("refuses bytes that are not UTF-8, an endless line and an oversized file", async () => {
    await expect(records([Buffer.from("a\n"), Buffer.from([0xff, 0x0a])])).rejects.toMatchObject({
      code: "csv_not_utf8",
    });
    await expect(records(`a\n${"x".repeat(1024 * 1024 + 1)}`, 10_000_000)).rejects.toMatchObject({
      code: "csv_line_too_long",
    });
    await expect(records("a\n1\n2\n", 4)).rejects.toBeInstanceOf(CsvFormatError);
  });

  it("applies backpressure: a large stream is parsed without buffering it all", async () => {
    const lines = 200_000;
    const source = Readable.from(
      (function* () {
        let chunk = "a,b\n";
        for (let i = 0; i < lines; i++) {
          chunk += `${i},${i * 2}\n`;
          if (chunk.length > 65_536) {
            yield chunk;
            chunk = "";
          }
        }
        yield chunk;
      })(),
    );
    const tap = { bytes: 0 };
    const text = source.pipe(utf8Guard(1e9, tap));
    let n = 0;
    let readAtFirstRecord = 0;
    for await (const r of csvRecords(text)) {
      n += 1;
      if (n === 1) {
        expect(r.cells).toEqual(["a", "b"]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        readAtFirstRecord = tap.bytes;
      }
    }
    expect(n).toBe(lines + 1);
    // While the consumer waited, the source was read only a few chunks ahead, not to its end.
    expect(readAtFirstRecord).toBeLessThan(tap.bytes / 4);
  });
});
