// CSV datasets through the API: versions by content, tolerant headers, strict and skip modes, the
// malformed-file cases (each with its exact error), tenant scope, immutability in the database.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiTokenWithRole, baseUrl, freshIp, userWithRole } from "../support/http";

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; code?: string; row?: number; column?: string; value?: string; detail: string }[];
  total_problems?: number;
  problem_groups?: { column: string; detail: string; count: number; rows: number[]; values: string[] }[];
  complete?: boolean;
};
type Upload = {
  created: boolean;
  dataset: { id: string; name: string; tenant_id: string };
  version: {
    id: string;
    version: number;
    sha256: string;
    row_count: number;
    rejected_count: number;
    duplicate_count: number;
    interval_seconds: number | null;
    time_start: string;
    warnings: { column: string; message: string }[];
    columns: { header: string; column: string | null; note: string | null }[];
    quality: {
      passes: boolean;
      rejected: { row?: number; column?: string; detail: string }[];
      series: {
        site_id: string;
        cluster_id: string | null;
        missing_ratio: number;
        interval_seconds: number;
        duplicates: number;
      }[];
    };
  };
};

function csv(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** n rows of 15-minute data for one series, starting at `start`. */
function series(
  n: number,
  opts: { site?: string; cluster?: string; start?: string; load?: (i: number) => number } = {},
): string[] {
  const t0 = Date.parse(opts.start ?? "2026-03-01T00:00:00Z");
  return Array.from({ length: n }, (_, i) => {
    const load = opts.load ? opts.load(i) : 500 + (i % 7) * 3.5;
    return `${new Date(t0 + i * 900_000).toISOString()},${opts.site ?? "mad1"},${opts.cluster ?? "c01"},${load},${(load * 1.4).toFixed(1)},${(12 + (i % 5) * 0.7).toFixed(1)}`;
  });
}
const HEADER = "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw,outdoor_temp_c";

async function upload(
  token: string,
  body: string | Uint8Array,
  query: Record<string, string>,
  contentType = "text/csv",
): Promise<Response> {
  return fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType, "X-Forwarded-For": freshIp() },
    body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]),
  });
}

describe("CSV datasets", () => {
  let analyst: string;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  const name = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    analyst = (await userWithRole("analyst")).token;
    await db.connect();
  });
  afterAll(() => db.end());

  const count = async (versionId: string) =>
    Number(
      (await db.query("select count(*) from observation where dataset_version_id = $1", [versionId])).rows[0].count,
    );

  it("stores a version with its observations, returns it again for the same bytes, and adds a version for new bytes", async () => {
    const dataset = name("basic");
    const body = csv([HEADER, ...series(96)]);
    const first = await upload(analyst, body, { name: dataset });
    expect(first.status).toBe(201);
    const a = (await first.json()) as Upload;
    expect(a).toMatchObject({
      created: true,
      dataset: { name: dataset, tenant_id: "default" },
      version: { version: 1, row_count: 96, rejected_count: 0, interval_seconds: 900 },
    });
    expect(a.version.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.headers.get("location")).toBe(`/api/v1/datasets/${a.dataset.id}/versions/1`);
    expect(await count(a.version.id)).toBe(96);
    const row = (
      await db.query(
        "select tenant_id, site_id, cluster_id, it_load_kw, outdoor_temp_c, interval_start, interval_end, interval_seconds from observation where dataset_version_id = $1 order by interval_start limit 1",
        [a.version.id],
      )
    ).rows[0];
    expect(row).toEqual({
      tenant_id: "default",
      site_id: "mad1",
      cluster_id: "c01",
      it_load_kw: 500,
      outdoor_temp_c: 12,
      interval_start: new Date("2026-03-01T00:00:00Z"),
      interval_end: new Date("2026-03-01T00:15:00Z"),
      interval_seconds: 900,
    });

    const again = await upload(analyst, body, { name: dataset });
    expect(again.status).toBe(200);
    const b = (await again.json()) as Upload;
    expect(b).toMatchObject({ created: false, version: { id: a.version.id, version: 1 } });
    expect(await count(a.version.id)).toBe(96);
    expect(
      Number(
        (
          await db.query(
            "select count(*) from observation o join dataset_version v on v.id = o.dataset_version_id where v.dataset_id = $1",
            [a.dataset.id],
          )
        ).rows[0].count,
      ),
    ).toBe(96);

    const next = await upload(analyst, csv([HEADER, ...series(10, { start: "2026-03-02T00:00:00Z" })]), {
      name: dataset,
    });
    expect(next.status).toBe(201);
    expect(((await next.json()) as Upload).version.version).toBe(2);
    const audit = await db.query(
      "select action, result from audit_event where target_type = 'dataset_version' and target_id = $1",
      [a.version.id],
    );
    expect(audit.rows).toEqual([{ action: "dataset.upload", result: "ok" }]);

    const list = await fetch(`${baseUrl()}/api/v1/datasets/${a.dataset.id}`, {
      headers: { Authorization: `Bearer ${analyst}` },
    });
    expect(((await list.json()) as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("accepts multipart uploads with the fields before the file", async () => {
    const form = new FormData();
    const dataset = name("multipart");
    form.set("name", dataset);
    form.set("on_error", "strict");
    form.set("file", new Blob([csv([HEADER, ...series(8)])], { type: "text/csv" }), "site.csv");
    const res = await fetch(`${baseUrl()}/api/v1/datasets`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "X-Forwarded-For": freshIp() },
      body: form,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Upload & { version: { filename: string } };
    expect(body.version).toMatchObject({ row_count: 8, filename: "site.csv" });
  });

  it("matches headers tolerantly, converts units and offsets, infers the interval and counts duplicates", async () => {
    const lines = [
      "\ufeffTimestamp,Site ID,clusterId,IT load (kW),Facility power (MW),Outdoor temp (°F),Vendor note",
      "2026-05-01T02:00:00+02:00,ams1,c02,400,0.56,50,x",
      "2026-05-01T00:05:00Z,ams1,c02,410,0.57,59,y",
      "2026-05-01T00:05:00Z,ams1,c02,999,0.9,59,duplicate",
      "2026-05-01 00:10,ams1,c02,405,0.565,68,z",
    ];
    const res = await upload(analyst, lines.join("\r\n"), { name: name("tolerant") });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Upload;
    expect(body.version).toMatchObject({
      row_count: 3,
      duplicate_count: 1,
      interval_seconds: 300,
      time_start: "2026-05-01T00:00:00.000Z",
    });
    expect(body.version.columns.map((c) => c.column)).toEqual([
      "timestamp_utc",
      "site_id",
      "cluster_id",
      "it_load_kw",
      "facility_power_kw",
      "outdoor_temp_c",
      null,
    ]);
    expect(body.version.warnings).toEqual([
      { column: "Facility power (MW)", message: "converted MW → kW" },
      { column: "Outdoor temp (°F)", message: "converted °F → °C" },
      { column: "Vendor note", message: "unknown column, ignored" },
    ]);
    const rows = (
      await db.query(
        "select interval_start, it_load_kw, facility_power_kw, outdoor_temp_c from observation where dataset_version_id = $1 order by interval_start",
        [body.version.id],
      )
    ).rows;
    expect(rows).toEqual([
      { interval_start: new Date("2026-05-01T00:00:00Z"), it_load_kw: 400, facility_power_kw: 560, outdoor_temp_c: 10 },
      { interval_start: new Date("2026-05-01T00:05:00Z"), it_load_kw: 410, facility_power_kw: 570, outdoor_temp_c: 15 },
      { interval_start: new Date("2026-05-01T00:10:00Z"), it_load_kw: 405, facility_power_kw: 565, outdoor_temp_c: 20 },
    ]);
    expect(body.version.quality.series[0]).toMatchObject({
      site_id: "ams1",
      cluster_id: "c02",
      duplicates: 1,
      interval_seconds: 300,
      missing_ratio: 0,
    });
  });

  it("refuses a strict upload with one bad row, naming row, column, value and reason, and stores nothing", async () => {
    const dataset = name("strict");
    const lines = [HEADER, ...series(20)];
    lines[7] = lines[7]!.replace(/,(\d+(\.\d+)?),/, ",-5,");
    const res = await upload(analyst, csv(lines), { name: dataset });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.detail).toBe(
      "1 problem in 1 row; nothing was stored. Fix them, or upload with on_error=skip to store the valid rows",
    );
    expect(problem.errors).toEqual([
      {
        pointer: "/rows/8/it_load_kw",
        row: 8,
        column: "it_load_kw",
        value: "-5",
        detail: "must be ≥ 0",
        code: "invalid_value",
      },
    ]);
    expect(problem.total_problems).toBe(1);
    expect(problem.problem_groups).toEqual([
      { column: "it_load_kw", detail: "must be ≥ 0", count: 1, rows: [8], values: ["-5"] },
    ]);
    expect(problem.complete).toBe(true);
    expect((await db.query("select count(*) from dataset where name = $1", [dataset])).rows[0].count).toBe("0");
    const refused = await db.query(
      "select result, inputs->>'dataset' as name from audit_event where action = 'dataset.refused' and inputs->>'dataset' = $1",
      [dataset],
    );
    expect(refused.rows).toEqual([{ result: "error", name: dataset }]);
  });

  it("with on_error=skip stores the valid rows and keeps the rejected ones with their reasons", async () => {
    const lines = [HEADER, ...series(12)];
    lines[3] = lines[3]!.replace(/,(\d+(\.\d+)?),/, ",lots,");
    const res = await upload(analyst, csv(lines), { name: name("skip"), on_error: "skip" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Upload;
    expect(body.version).toMatchObject({ row_count: 11, rejected_count: 1 });
    expect(body.version.quality.rejected).toEqual([
      expect.objectContaining({ row: 4, column: "it_load_kw", value: "lots", detail: "is not a number" }),
    ]);
    expect(await count(body.version.id)).toBe(11);
  });

  const malformed: [string, string | Uint8Array, string, string][] = [
    ["an empty file", "", "csv_empty", "The file is empty"],
    ["a header only", `${HEADER}\n`, "csv_no_rows", "The file has a header but no data rows"],
    [
      "bad quoting",
      csv([HEADER, '2026-03-01T00:00:00Z,"mad1,c01,500,700,12']),
      "csv_quoting",
      "Row 2: quoted field unterminated (a quote opened and never closed, or text after a closing quote)",
    ],
    [
      // A ';' file is read as such (tests/integration/dataset-import.test.ts); a tie is not guessed.
      "a header with as many ';' as ','",
      csv(["timestamp_utc;site_id,cluster_id;it_load_kw,facility_power_kw", "2026-03-01T00:00:00Z;mad1,c01;500,700"]),
      "csv_delimiter",
      'Delimiter: the header line has as many "," as ";"; choose the delimiter',
    ],
    [
      "non-UTF-8 text",
      Buffer.concat([
        Buffer.from(`${HEADER}\n2026-03-01T00:00:00Z,caf`),
        Buffer.from([0xe9]),
        Buffer.from(",c01,500,700,12\n"),
      ]),
      "csv_not_utf8",
      'The file is not UTF-8 text (an invalid byte sequence near byte 0); save it as "CSV UTF-8"',
    ],
    [
      "a 10 MB field",
      `${HEADER}\n2026-03-01T00:00:00Z,${"x".repeat(10 * 1024 * 1024)},c01,500,700,12\n`,
      "csv_line_too_long",
      "Line 2 is longer than 1048576 bytes (a field that large is not a measurement)",
    ],
    [
      "a missing required column",
      csv(["timestamp_utc,it_load_kw", "2026-03-01T00:00:00Z,500"]),
      "invalid_header",
      "The header has 1 problem",
    ],
  ];
  for (const [label, body, code, detail] of malformed) {
    it(`answers ${label} with a clear 422`, async () => {
      const dataset = name("malformed");
      const res = await upload(analyst, body, { name: dataset });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = (await res.json()) as Problem;
      expect(problem.detail).toBe(detail);
      expect(problem.errors?.[0]?.code).toBe(code);
      expect((await db.query("select count(*) from dataset where name = $1", [dataset])).rows[0].count).toBe("0");
    });
  }

  it("answers an upload over the size limit with 413 and stores nothing", async () => {
    const row = "2026-03-01T00:00:00Z,mad1,c01,500,700,12\n";
    const big = HEADER + "\n" + row.repeat(Math.ceil((17 * 1024 * 1024) / row.length));
    const res = await upload(analyst, big, { name: name("big") });
    expect(res.status).toBe(413);
  });

  it("keeps a tenant-scoped token inside its tenant", async () => {
    const token = (await apiTokenWithRole("analyst", ["tenant-a"])).secret;
    const body = csv([HEADER, ...series(4)]);
    expect((await upload(token, body, { name: name("scoped"), tenant_id: "tenant-b" })).status).toBe(403);
    const own = await upload(token, body, { name: name("scoped") });
    expect(own.status).toBe(201);
    const created = (await own.json()) as Upload;
    expect(created.dataset.tenant_id).toBe("tenant-a");
    const other = (await (
      await fetch(`${baseUrl()}/api/v1/datasets`, { headers: { Authorization: `Bearer ${analyst}` } })
    ).json()) as { items: { id: string }[] };
    expect(other.items.map((d) => d.id)).toContain(created.dataset.id);
    const scopedElsewhere = (await apiTokenWithRole("viewer", ["tenant-z"])).secret;
    expect(
      (
        await fetch(`${baseUrl()}/api/v1/datasets/${created.dataset.id}`, {
          headers: { Authorization: `Bearer ${scopedElsewhere}` },
        })
      ).status,
    ).toBe(404);
  });

  it("stores identical parallel uploads once", async () => {
    const dataset = name("parallel");
    const body = csv([HEADER, ...series(50)]);
    const answers = await Promise.all([1, 2, 3].map(() => upload(analyst, body, { name: dataset })));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as Upload[];
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(bodies.map((b) => b.version.id)).size).toBe(1);
    expect(await count(bodies[0]!.version.id)).toBe(50);
  });

  it("loads a file from the command line like an upload, once, and refuses a bad one with exit code 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "pib-cli-"));
    const good = join(dir, "good.csv");
    const bad = join(dir, "bad.csv");
    writeFileSync(good, csv([HEADER, ...series(30)]));
    writeFileSync(bad, csv([HEADER, "2026-03-01T00:00:00Z,mad1,c01,-1,700,12"]));
    const dataset = name("cli");
    const run = (file: string) =>
      spawnSync("npm", ["run", "-s", "dataset:load", "--", file, "--name", dataset, "--tenant", "CLI-Tenant"], {
        env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
        encoding: "utf8",
      });
    const first = run(good);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true, version: 1, rows: 30, rejected: 0 });
    const again = run(good);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, version: 1 });
    const refused = run(bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("refused: 1 problem in 1 row; nothing was stored");
    expect(refused.stderr).toContain('row 2, it_load_kw = "-1": must be ≥ 0');
  }, 60_000);

  it("refuses changes to a loaded version and its observations in the database", async () => {
    const res = await upload(analyst, csv([HEADER, ...series(3)]), { name: name("immutable") });
    const { version } = (await res.json()) as Upload;
    await expect(db.query("update dataset_version set row_count = 0 where id = $1", [version.id])).rejects.toThrow(
      /immutable/,
    );
    await expect(db.query("delete from dataset_version where id = $1", [version.id])).rejects.toThrow(/immutable/);
    await expect(
      db.query("update observation set it_load_kw = 0 where dataset_version_id = $1", [version.id]),
    ).rejects.toThrow(/immutable/);
    await expect(db.query("delete from observation where dataset_version_id = $1", [version.id])).rejects.toThrow(
      /immutable/,
    );
  });

  it("groups a systematic fault by kind and says where reading stopped, instead of a thousand identical lines", async () => {
    // Day-first timestamps throughout (a European BMS export), and one negative load among them.
    const rows = series(1_500).map((line) => {
      const [ts, ...rest] = line.split(",");
      const d = new Date(ts!);
      const dayFirst = `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()} ${d.toISOString().slice(11, 16)}`;
      return [dayFirst, ...rest].join(",");
    });
    rows[4] = rows[4]!.replace(/,mad1,c01,[\d.]+,/, ",mad1,c01,-1,");
    const dataset = name("day-first");
    // Read as ISO (told so): without it, the first rows' dates (day and month ≤ 12) are refused as ambiguous.
    const res = await upload(analyst, csv([HEADER, ...rows]), { name: dataset, date_format: "iso" });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    // Reading stops at 1,000 problems: the answer says so rather than passing them off as the file's.
    expect(problem.total_problems).toBe(1_000);
    expect(problem.complete).toBe(false);
    expect(problem.detail).toBe(
      "1,000 problems in 999 rows (reading stopped at row 1,000; the rest of the file was not checked); nothing was stored. Fix them, or upload with on_error=skip to store the valid rows",
    );
    const [timestamps, load] = problem.problem_groups!;
    expect(timestamps).toMatchObject({ column: "timestamp_utc", count: 999, rows: [2, 3, 4] });
    expect(timestamps!.values).toEqual(["01/03/2026 00:00", "01/03/2026 00:15", "01/03/2026 00:30"]);
    expect(load).toMatchObject({ column: "it_load_kw", detail: "must be ≥ 0", count: 1, rows: [6], values: ["-1"] });
    expect(problem.problem_groups).toHaveLength(2);
  });
});
