// Reading real files: the delimiter, decimal separator and date format detected (ambiguity refused),
// the date formats and the decimal comma, local times in an IANA zone with the hours DST repeats
// and skips (Europe/Paris, hand-computed instants), the column mapping, and a property: a table
// written with ';', decimal commas and Paris local times reads as the same UTC rows and values as
// its ISO/UTC/point form.
import { Readable } from "node:stream";
import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { mapHeader, suggestMapping } from "./columns";
import { csvRecords, peekFirstLine } from "./csv-records";
import { detectDateFormat, detectDecimal, detectDelimiter } from "./detect";
import { ImportOptionsSchema, type DstAmbiguous, type DstGap } from "./import-options";
import { LocalTimeZone } from "./local-time";
import { DEFAULT_ROW_OPTIONS, parseRow, parseTimeIn, timeCounts, type RowOptions } from "./rows";

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

describe("detection", () => {
  it.each([
    ["timestamp,site_id,it_load_kw", ","],
    ["Zeit;Standort;Last (kW);Kommentar, frei", ";"],
    ["timestamp\tsite_id\tit_load_kw", "tab"],
    ["timestamp|site_id|it_load_kw", "|"],
    ['"a;b",site_id,it_load_kw', ","],
    ["timestamp", ","],
  ])("finds the delimiter of %j: %s", (line, expected) => {
    expect(detectDelimiter(line)).toEqual({ value: expected, problem: null });
  });

  it("refuses a header line with as many ';' as ','", () => {
    expect(detectDelimiter("a;b,c").problem).toMatch(/as many ";" as ","|as many "," as ";"/);
  });

  it("finds a decimal comma, a point, and refuses both at once", () => {
    expect(detectDecimal([["25/10/2026 02:00", "mad1", "812,5", "3"]], new Set([0]))).toEqual({
      value: ",",
      problem: null,
    });
    expect(detectDecimal([["x", "mad1", "812.5"]], new Set([0])).value).toBe(".");
    expect(detectDecimal([["x", "7"]], new Set([0])).value).toBe(".");
    expect(detectDecimal([["x", "1,5", "2.5"]], new Set([0])).problem).toMatch(
      /decimal comma \(1\) and with a point \(1\)/,
    );
  });

  it("finds the date format, and refuses day/month ambiguity rather than guessing", () => {
    expect(detectDateFormat(["2026-10-25T02:00:00Z", "2026-10-25 02:15"]).value).toBe("iso");
    expect(detectDateFormat(["25/10/2026 02:00", "01/11/2026 00:00"]).value).toBe("dd/mm/yyyy");
    expect(detectDateFormat(["10/25/2026 02:00", "11/01/2026 00:00"]).value).toBe("mm/dd/yyyy");
    expect(detectDateFormat(["2026/10/25 02:00"]).value).toBe("yyyy-mm-dd");
    expect(detectDateFormat(["25.10.2026 02:00:30"]).value).toBe("dd/mm/yyyy");
    const ambiguous = detectDateFormat(["01/02/2026 00:00", "02/02/2026 00:00"]);
    expect(ambiguous.value).toBeNull();
    expect(ambiguous.problem).toMatch(/dd\/mm\/yyyy and as mm\/dd\/yyyy .*choose the date format/);
  });

  it("finds the header line of a stream and gives the whole text back", async () => {
    const { line, stream } = await peekFirstLine(Readable.from(["a;b", ";c\n1;2;3\n", "4;5;6\n"]));
    expect(line).toBe("a;b;c");
    const rows: string[][] = [];
    for await (const r of csvRecords(stream, ";")) rows.push(r.cells);
    expect(rows).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
      ["4", "5", "6"],
    ]);
  });
});

describe("date formats", () => {
  it.each([
    ["25/10/2026 02:30", "dd/mm/yyyy", "2026-10-25T02:30:00.000Z"],
    ["25.10.2026 02:30:15", "dd/mm/yyyy", "2026-10-25T02:30:15.000Z"],
    ["10/25/2026 2:30", "mm/dd/yyyy", "2026-10-25T02:30:00.000Z"],
    ["2026/10/25 02:30", "yyyy-mm-dd", "2026-10-25T02:30:00.000Z"],
    ["25/10/2026", "dd/mm/yyyy", "2026-10-25T00:00:00.000Z"],
    ["2026-10-25 02:30", "iso", "2026-10-25T02:30:00.000Z"],
  ] as const)("reads %s as %s: the wall time %s", (text, format, wall) => {
    const t = parseTimeIn(text, format);
    expect(t?.naive).toBe(true);
    expect(iso(t?.ms)).toBe(wall);
  });

  it.each([
    ["31/02/2026 00:00", "dd/mm/yyyy"],
    ["25/13/2026 00:00", "dd/mm/yyyy"],
    ["13/25/2026 00:00", "mm/dd/yyyy"],
    ["25/10/2026 24:00", "dd/mm/yyyy"],
    ["2026-10-25T02:30:00Z", "dd/mm/yyyy"],
  ] as const)("refuses %s in %s", (text, format) => {
    expect(parseTimeIn(text, format)).toBeNull();
  });

  it("keeps an explicit offset or Z in ISO timestamps", () => {
    expect(parseTimeIn("2026-10-25T02:30:00+02:00", "iso")).toEqual({
      ms: Date.parse("2026-10-25T00:30:00Z"),
      naive: false,
    });
  });
});

describe("Europe/Paris local time", () => {
  const zone = new LocalTimeZone("Europe/Paris");
  const wall = (text: string) => Date.parse(`${text}Z`);

  it("reads ordinary hours with the winter and the summer offset", () => {
    expect(zone.resolve(wall("2026-01-15T12:00:00"))).toEqual({
      kind: "single",
      ms: Date.parse("2026-01-15T11:00:00Z"),
    });
    expect(zone.resolve(wall("2026-07-15T12:00:00"))).toEqual({
      kind: "single",
      ms: Date.parse("2026-07-15T10:00:00Z"),
    });
    // Around the changes, to the minute.
    expect(iso((zone.resolve(wall("2026-10-25T01:59:00")) as { ms: number }).ms)).toBe("2026-10-24T23:59:00.000Z");
    expect(iso((zone.resolve(wall("2026-10-25T03:00:00")) as { ms: number }).ms)).toBe("2026-10-25T02:00:00.000Z");
    expect(iso((zone.resolve(wall("2026-03-29T01:59:00")) as { ms: number }).ms)).toBe("2026-03-29T00:59:00.000Z");
    expect(iso((zone.resolve(wall("2026-03-29T03:00:00")) as { ms: number }).ms)).toBe("2026-03-29T01:00:00.000Z");
  });

  it("tells the repeated October hour and the missing March hour", () => {
    expect(zone.resolve(wall("2026-10-25T02:30:00"))).toEqual({
      kind: "ambiguous",
      earlier: Date.parse("2026-10-25T00:30:00Z"),
      later: Date.parse("2026-10-25T01:30:00Z"),
    });
    expect(zone.resolve(wall("2026-03-29T02:30:00"))).toEqual({
      kind: "gap",
      shifted: Date.parse("2026-03-29T01:30:00Z"),
    });
  });

  it("agrees with Temporal for every quarter hour of 2026", () => {
    const fresh = new LocalTimeZone("Europe/Paris");
    for (let t = wall("2026-01-01T00:00:00"); t < wall("2027-01-01T00:00:00"); t += 900_000) {
      const d = new Date(t);
      const expected = Temporal.PlainDateTime.from({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
      }).toZonedDateTime("Europe/Paris", { disambiguation: "earlier" }).epochMilliseconds;
      const r = fresh.resolve(t);
      const got = r.kind === "single" ? r.ms : r.kind === "ambiguous" ? r.earlier : null;
      if (r.kind === "gap") expect(iso(t)).toMatch(/^2026-03-29T02:/);
      else expect(got).toBe(expected);
    }
  });
});

describe("rows in local time, with a decimal comma", () => {
  const headers = ["timestamp", "site_id", "it_load_kw"];
  const read = (cells: string[][], dst: { ambiguous?: DstAmbiguous; gap?: DstGap } = {}) => {
    const mapping = mapHeader(headers);
    const options: RowOptions = {
      decimal: ",",
      dateFormat: "dd/mm/yyyy",
      timezone: "Europe/Paris",
      dstAmbiguous: dst.ambiguous ?? "by_order",
      dstGap: dst.gap ?? "reject",
    };
    const out = cells.map((c, i) => parseRow(c, headers, mapping, i + 2, options));
    return { out, counts: timeCounts(mapping)! };
  };

  it("reads a BMS's repeated October hour by order: first occurrence summer time, second winter time, per series", () => {
    const { out, counts } = read([
      ["25/10/2026 01:45", "mad1", "812,5"],
      ["25/10/2026 02:00", "mad1", "813,25"],
      ["25/10/2026 02:00", "bcn1", "400"],
      ["25/10/2026 02:45", "mad1", "-1,5"],
      ["25/10/2026 02:00", "mad1", "814"],
      ["25/10/2026 02:00", "bcn1", "401"],
      ["25/10/2026 02:45", "mad1", "815"],
      ["25/10/2026 03:00", "mad1", "816"],
    ]);
    expect(out.map((r) => iso(r.parsed?.ts))).toEqual([
      "2026-10-24T23:45:00.000Z",
      "2026-10-25T00:00:00.000Z",
      "2026-10-25T00:00:00.000Z",
      null,
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
      "2026-10-25T01:45:00.000Z",
      "2026-10-25T02:00:00.000Z",
    ]);
    expect(out[1]!.parsed!.values).toEqual([813.25]);
    expect(out[3]!.problems.map((p) => p.reason)).toEqual(["must be ≥ 0"]);
    expect(counts.dst).toMatchObject({ ambiguous_rows: 6, ambiguous_earlier: 3, ambiguous_later: 3, gap_rows: 0 });
    expect(counts.naive).toBe(8);
  });

  it("applies earlier, later and reject to the repeated hour", () => {
    const rows = [["25/10/2026 02:30", "mad1", "1"]];
    expect(iso(read(rows, { ambiguous: "earlier" }).out[0]!.parsed!.ts)).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(read(rows, { ambiguous: "later" }).out[0]!.parsed!.ts)).toBe("2026-10-25T01:30:00.000Z");
    const rejected = read(rows, { ambiguous: "reject" });
    expect(rejected.out[0]!.problems[0]!.reason).toMatch(/ambiguous in Europe\/Paris/);
    expect(rejected.counts.dst.ambiguous_rejected).toBe(1);
  });

  it("rejects the missing March hour by default, or shifts it forward", () => {
    const rows = [
      ["29/03/2026 01:45", "mad1", "1"],
      ["29/03/2026 02:15", "mad1", "1"],
      ["29/03/2026 03:00", "mad1", "1"],
    ];
    const rejected = read(rows);
    expect(rejected.out.map((r) => iso(r.parsed?.ts))).toEqual([
      "2026-03-29T00:45:00.000Z",
      null,
      "2026-03-29T01:00:00.000Z",
    ]);
    expect(rejected.out[1]!.problems[0]!.reason).toMatch(/does not exist in Europe\/Paris/);
    expect(rejected.counts.dst).toMatchObject({ gap_rows: 1, gap_rejected: 1, gap_shifted: 0 });
    const shifted = read(rows, { gap: "shift_forward" });
    expect(iso(shifted.out[1]!.parsed!.ts)).toBe("2026-03-29T01:15:00.000Z");
    expect(shifted.counts.dst).toMatchObject({ gap_rows: 1, gap_shifted: 1 });
  });

  it("refuses a point where a decimal comma is expected", () => {
    expect(read([["25/10/2026 12:00", "mad1", "812.5"]]).out[0]!.problems[0]!.reason).toBe(
      "is not a number (with a decimal comma)",
    );
  });

  it("names a dd/mm/yyyy cell the format does not read", () => {
    expect(read([["2026-10-25 12:00", "mad1", "1"]]).out[0]!.problems[0]!.reason).toBe(
      "is not a timestamp in the format dd/mm/yyyy HH:mm[:ss]",
    );
  });
});

describe("column mapping", () => {
  it("suggests a mapping from the header, unknown columns to ignore", () => {
    expect(suggestMapping("Facility power (MW)")).toEqual({
      entry: { signal: "facility_power_kw", unit: "MW" },
      recognised: true,
    });
    expect(suggestMapping("Zeitstempel")).toEqual({ entry: { ignore: true }, recognised: false });
    expect(suggestMapping("timestamp").entry).toEqual({ signal: "timestamp" });
    expect(suggestMapping("site").entry).toEqual({ signal: "site_id" });
  });

  it("maps named headers, converts their unit, says which are ignored, and refuses a header the file lacks", () => {
    const headers = ["Zeit", "Standort", "Last", "Bemerkung", "outdoor_temp_c"];
    const m = mapHeader(headers, {
      Zeit: { signal: "timestamp" },
      Standort: { signal: "site_id" },
      Last: { signal: "it_load_kw", unit: "MW" },
      Bemerkung: { ignore: true },
    });
    expect(m.errors).toEqual([]);
    expect(m.signals.map((s) => s.name)).toEqual(["it_load_kw", "outdoor_temp_c"]);
    expect(m.warnings).toEqual([
      { column: "Last", message: "converted MW → kW" },
      { column: "Bemerkung", message: "ignored (the mapping says so)" },
    ]);
    const r = parseRow(["2026-01-01T00:00:00Z", "mad1", "1.5", "x", "12"], headers, m, 2, DEFAULT_ROW_OPTIONS);
    expect(r.parsed!.values).toEqual([1500, 12]);
    expect(mapHeader(headers, { Zeitpunkt: { signal: "timestamp" } }).errors).toContainEqual({
      column: "Zeitpunkt",
      message: "is in the mapping but not in the file's header",
    });
    expect(mapHeader(headers, { Zeitpunkt: { ignore: true } }, false).warnings).toContainEqual({
      column: "Zeitpunkt",
      message: "is in the dataset's saved mapping but not in this file",
    });
  });

  it("validates the options: each bad one named", () => {
    const r = ImportOptionsSchema.safeParse({
      delimiter: ":",
      timezone: "Europe/Pariss",
      mapping: '{"Last":{"signal":"it_load_kw","unit":"°F"},"X":{"signal":"nope"}}',
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("/"));
    expect(paths).toEqual(expect.arrayContaining(["delimiter", "timezone", "mapping/Last/unit", "mapping/X/signal"]));
    const ok = ImportOptionsSchema.parse({
      delimiter: "\t",
      timezone: "europe/paris",
      mapping: '{"A":{"ignore":true}}',
    });
    expect(ok).toEqual({ delimiter: "tab", timezone: "Europe/Paris", mapping: { A: { ignore: true } } });
  });
});

describe("property: a European BMS export reads as its ISO/UTC form", () => {
  /** A table of `n` quarter hours from `start` (UTC) for `sites`, as the UTC form and the Paris local form. */
  function write(start: number, n: number, sites: string[], values: number[]) {
    const utc = ["timestamp_utc,site_id,it_load_kw"];
    const local = ["Zeit;Standort;Last (kW);Kommentar"];
    let k = 0;
    for (let i = 0; i < n; i++) {
      const t = start + i * 900_000;
      const z = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO("Europe/Paris");
      const p2 = (v: number) => String(v).padStart(2, "0");
      const wall = `${p2(z.day)}/${p2(z.month)}/${z.year} ${p2(z.hour)}:${p2(z.minute)}`;
      for (const site of sites) {
        const v = values[k++ % values.length]!;
        utc.push(`${new Date(t).toISOString()},${site},${v}`);
        local.push(`${wall};${site};${String(v).replace(".", ",")};note ${i}`);
      }
    }
    return { utc: `${utc.join("\n")}\n`, local: `${local.join("\n")}\n` };
  }

  async function readAll(text: string, mapping: Parameters<typeof mapHeader>[1]) {
    const { line, stream } = await peekFirstLine(Readable.from([text]));
    const delimiter = detectDelimiter(line).value!;
    const records: string[][] = [];
    for await (const r of csvRecords(stream, delimiter === "tab" ? "\t" : delimiter)) records.push(r.cells);
    const [headers, ...rows] = records;
    const m = mapHeader(headers!, mapping);
    const ts = m.roles.findIndex((r) => r?.kind === "timestamp");
    const options: RowOptions = {
      ...DEFAULT_ROW_OPTIONS,
      decimal: delimiter === "," ? "." : detectDecimal(rows, new Set([ts])).value!,
      dateFormat: detectDateFormat(rows.map((r) => r[ts]!)).value!,
      timezone: delimiter === "," ? "UTC" : "Europe/Paris",
    };
    return rows.map((cells, i) => {
      const r = parseRow(cells, headers!, m, i + 2, options);
      return r.parsed ? { ts: r.parsed.ts, site: r.parsed.ids.site_id, values: r.parsed.values } : r.problems;
    });
  }

  it("same UTC instants and values (fixed seed, starts near both DST changes)", async () => {
    const transitions = [
      Date.parse("2026-10-24T22:00:00Z"),
      Date.parse("2026-03-28T23:00:00Z"),
      Date.parse("2026-06-01T00:00:00Z"),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...transitions),
        fc.integer({ min: -8, max: 8 }),
        fc.integer({ min: 2, max: 40 }),
        fc.subarray(["mad1", "bcn1", "par2"], { minLength: 1 }),
        fc.array(
          fc.integer({ min: 0, max: 2_000_000 }).map((v) => v / 1000),
          { minLength: 1, maxLength: 30 },
        ),
        async (anchor, shift, n, sites, values) => {
          const { utc, local } = write(anchor + shift * 900_000, n, sites, values);
          const expected = await readAll(utc, null);
          const got = await readAll(local, {
            Zeit: { signal: "timestamp" },
            Standort: { signal: "site_id" },
            "Last (kW)": { signal: "it_load_kw" },
            Kommentar: { ignore: true },
          });
          expect(got).toEqual(expected);
        },
      ),
      { seed: 20261025, numRuns: 120 },
    );
  });
});
