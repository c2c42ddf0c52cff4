// Real files through the API: the preview (a dry run that writes nothing) and the upload with the
// same options — ';' with decimal commas, dd/mm/yyyy local times in Europe/Paris across the
// repeated October hour, a column mapping with a unit and an ignored column — the options saved
// with the version and reused by the next upload given none, and bad options named one by one.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, freshIp, userWithRole } from "../support/http";

const FILE = [
  "Zeit;Standort;Last (MW);Facility power (kW);Kommentar",
  "25/10/2026 01:30;mad1;0,8125;1130,5;",
  "25/10/2026 02:00;mad1;0,813;1131;erste",
  "25/10/2026 02:30;mad1;0,814;1132;",
  "25/10/2026 02:00;mad1;0,815;1133;zweite",
  "25/10/2026 02:30;mad1;0,816;1134;",
  "25/10/2026 03:00;mad1;0,817;1135;",
].join("\n");

const MAPPING = {
  Zeit: { signal: "timestamp" },
  Standort: { signal: "site_id" },
  "Last (MW)": { signal: "it_load_kw", unit: "MW" },
  Kommentar: { ignore: true },
};

async function post(path: string, token: string, body: string, query: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl()}${path}?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body,
  });
}

describe("CSV import options", () => {
  let analyst: string;
  let viewer: string;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  const name = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    analyst = (await userWithRole("analyst")).token;
    viewer = (await userWithRole("viewer")).token;
    await db.connect();
  });
  afterAll(() => db.end());

  it("previews a European BMS export without writing, then stores it with the same options, and the next version reuses them", async () => {
    const dataset = name("bms");
    // Before any option: the header names no timestamp or site; detection finds ';' and ',' and dd/mm/yyyy.
    const first = await post("/api/v1/datasets/preview", analyst, FILE, { name: dataset });
    expect(first.status).toBe(200);
    const bare = (await first.json()) as {
      ready: boolean;
      problems: { column?: string; detail: string }[];
      columns: { header: string; suggestion: unknown; recognised: boolean }[];
      header_line: string;
    };
    expect(bare.ready).toBe(false);
    expect(bare.header_line).toBe("Zeit;Standort;Last (MW);Facility power (kW);Kommentar");
    expect(bare.problems.map((p) => `${p.column}: ${p.detail}`)).toEqual([
      "timestamp_utc: required column missing",
      "site_id: required column missing",
    ]);
    expect(bare.columns).toEqual([
      { header: "Zeit", suggestion: { ignore: true }, recognised: false, column: null, note: null },
      { header: "Standort", suggestion: { ignore: true }, recognised: false, column: null, note: null },
      { header: "Last (MW)", suggestion: { ignore: true }, recognised: false, column: null, note: null },
      {
        header: "Facility power (kW)",
        suggestion: { signal: "facility_power_kw" },
        recognised: true,
        column: "facility_power_kw",
        note: null,
      },
      { header: "Kommentar", suggestion: { ignore: true }, recognised: false, column: null, note: null },
    ]);

    const options = { timezone: "Europe/Paris", mapping: JSON.stringify(MAPPING) };
    const previewed = await post("/api/v1/datasets/preview", analyst, FILE, { name: dataset, ...options });
    expect(previewed.status).toBe(200);
    const preview = (await previewed.json()) as {
      ready: boolean;
      options: Record<string, string>;
      signals: string[];
      rows: { row: number; ts_utc: string; values: number[] }[];
      summary: Record<string, unknown>;
    };
    expect(preview.ready).toBe(true);
    expect(preview.options).toEqual({
      delimiter: ";",
      decimal: ",",
      date_format: "dd/mm/yyyy",
      timezone: "Europe/Paris",
      dst_ambiguous: "by_order",
      dst_gap: "reject",
    });
    expect(preview.signals).toEqual(["it_load_kw", "facility_power_kw"]);
    expect(preview.rows.map((r) => [r.ts_utc, ...r.values])).toEqual([
      ["2026-10-24T23:30:00.000Z", 812.5, 1130.5],
      ["2026-10-25T00:00:00.000Z", 813, 1131],
      ["2026-10-25T00:30:00.000Z", 814, 1132],
      ["2026-10-25T01:00:00.000Z", 815, 1133],
      ["2026-10-25T01:30:00.000Z", 816, 1134],
      ["2026-10-25T02:00:00.000Z", 817, 1135],
    ]);
    expect(preview.summary).toMatchObject({
      rows_read: 6,
      rows_stored: 6,
      duplicates: 0,
      series: 1,
      first_utc: "2026-10-24T23:30:00.000Z",
      last_utc: "2026-10-25T02:00:00.000Z",
      columns_ignored: [{ header: "Kommentar", reason: "ignored by the mapping" }],
      naive_timestamps: 6,
      dst: { ambiguous_rows: 4, ambiguous_earlier: 2, ambiguous_later: 2, gap_rows: 0 },
      problem_groups: [],
    });
    // Nothing written by the dry run.
    expect((await db.query("select count(*)::int as n from dataset where name = $1", [dataset])).rows[0].n).toBe(0);

    const stored = await post("/api/v1/datasets", analyst, FILE, { name: dataset, ...options });
    expect(stored.status).toBe(201);
    const v1 = (await stored.json()) as {
      version: {
        id: string;
        row_count: number;
        duplicate_count: number;
        columns: { header: string; column: string | null; note: string | null }[];
        import: { used: Record<string, string>; given: Record<string, unknown>; dst: Record<string, number> };
      };
    };
    expect(v1.version).toMatchObject({ row_count: 6, duplicate_count: 0 });
    expect(v1.version.columns).toContainEqual({ header: "Kommentar", column: null, note: "ignored by the mapping" });
    expect(v1.version.import.used).toMatchObject({ delimiter: ";", decimal: ",", timezone: "Europe/Paris" });
    expect(v1.version.import.given).toEqual({ timezone: "Europe/Paris", mapping: MAPPING });
    expect(v1.version.import.dst).toMatchObject({ ambiguous_earlier: 2, ambiguous_later: 2 });
    const rows = await db.query<{ interval_start: Date; it_load_kw: number }>(
      "select interval_start, it_load_kw from observation where dataset_version_id = $1 order by interval_start",
      [v1.version.id],
    );
    expect(rows.rows.map((r) => [r.interval_start.toISOString(), r.it_load_kw])).toEqual([
      ["2026-10-24T23:30:00.000Z", 812.5],
      ["2026-10-25T00:00:00.000Z", 813],
      ["2026-10-25T00:30:00.000Z", 814],
      ["2026-10-25T01:00:00.000Z", 815],
      ["2026-10-25T01:30:00.000Z", 816],
      ["2026-10-25T02:00:00.000Z", 817],
    ]);

    // The next file of the collector, sent with no option: the saved ones apply (preview and upload).
    const next = `${FILE}\n25/10/2026 03:30;mad1;0,818;1136;\n`;
    const reusedPreview = (await (await post("/api/v1/datasets/preview", analyst, next, { name: dataset })).json()) as {
      ready: boolean;
      options_source: { saved: boolean; given: string[] };
    };
    expect(reusedPreview).toMatchObject({ ready: true, options_source: { saved: true, given: [] } });
    const second = await post("/api/v1/datasets", analyst, next, { name: dataset });
    expect(second.status).toBe(201);
    const v2 = (await second.json()) as { version: { version: number; row_count: number; import: { given: unknown } } };
    expect(v2.version).toMatchObject({
      version: 2,
      row_count: 7,
      import: { given: { timezone: "Europe/Paris", mapping: MAPPING } },
    });

    // An explicit option overrides the saved one (and is saved): read as UTC, the repeated hour is a duplicate.
    const third = await post("/api/v1/datasets", analyst, `${next}25/10/2026 04:00;mad1;0,819;1137;\n`, {
      name: dataset,
      timezone: "UTC",
    });
    expect(third.status).toBe(201);
    const v3 = (await third.json()) as { version: { duplicate_count: number; import: { given: unknown } } };
    expect(v3.version.duplicate_count).toBe(2);
    expect(v3.version.import.given).toEqual({ timezone: "UTC", mapping: MAPPING });
  });

  it("names every bad option in one problem, for the preview and the upload", async () => {
    for (const path of ["/api/v1/datasets/preview", "/api/v1/datasets"]) {
      const res = await post(path, analyst, FILE, {
        name: name("bad"),
        delimiter: ":",
        timezone: "Mars/Olympus",
        dst_gap: "later",
        mapping: '{"Zeit":{"signal":"time_of_day"}}',
      });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = (await res.json()) as { errors: { pointer: string; detail: string }[] };
      expect(problem.errors.map((e) => e.pointer).sort()).toEqual([
        "/delimiter",
        "/dst_gap",
        "/mapping/Zeit/signal",
        "/timezone",
      ]);
    }
  });

  it("refuses day/month ambiguity in the preview with the columns still to map, and a decimal comma with ','", async () => {
    const ambiguous = "timestamp;site_id;it_load_kw\n01/02/2026 00:00;mad1;1,5\n02/02/2026 00:00;mad1;2\n";
    const body = (await (await post("/api/v1/datasets/preview", analyst, ambiguous, {})).json()) as {
      ready: boolean;
      problems: { pointer: string; detail: string }[];
      columns: unknown[];
    };
    expect(body.ready).toBe(false);
    expect(body.problems).toEqual([
      expect.objectContaining({ pointer: "/date_format", detail: expect.stringMatching(/choose the date format/) }),
    ]);
    expect(body.columns).toHaveLength(3);
    const comma = await post("/api/v1/datasets", analyst, "timestamp,site_id,it_load_kw\n", {
      name: name("comma"),
      delimiter: ",",
      decimal: ",",
    });
    expect(comma.status).toBe(422);
  });

  it("takes the options as multipart fields too, the mapping as a JSON text field", async () => {
    const form = new FormData();
    form.set("name", name("multipart"));
    form.set("timezone", "Europe/Paris");
    form.set("mapping", JSON.stringify(MAPPING));
    form.set("file", new Blob([FILE], { type: "text/csv" }), "export.csv");
    const res = await fetch(`${baseUrl()}/api/v1/datasets`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "X-Forwarded-For": freshIp() },
      body: form,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      version: { row_count: number; time_start: string; import: { given: unknown } };
    };
    expect(body.version).toMatchObject({
      row_count: 6,
      time_start: "2026-10-24T23:30:00.000Z",
      import: { given: { timezone: "Europe/Paris", mapping: MAPPING } },
    });
  });

  it("lets only uploaders preview", async () => {
    const res = await post("/api/v1/datasets/preview", viewer, FILE, {});
    expect(res.status).toBe(403);
  });
});
