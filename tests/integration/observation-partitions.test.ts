// `observation` partitioned by month (migration *_observation_monthly_partitions) against a real
// PostgreSQL: the migration keeps every row and id; the triggers hold on the partitions; the
// runtime role stores readings of a new month without DDL rights (ensure_observation_months);
// MASS single and batch ingest and CSV loads create the months they touch, however far in the past
// or future; retention drops whole old months with an audit event each, and nothing without the
// setting.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { deployMigrations } from "@/lib/db/migrate/deploy";
import { readMigrations } from "@/lib/db/migrate/migrations-dir";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";
import { ensureLoginRole, urlAsRole } from "@/lib/db/roles";
import { baseUrl, call, freshIp, userWithRole } from "../support/http";

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const suffix = randomBytes(4).toString("hex");
const createdDbs: string[] = [];
const runtimeRole = `pib_part_rt_${suffix}`;
const password = randomBytes(18).toString("base64url");

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function freshDatabase(label: string): Promise<string> {
  const name = `pib_part_${label}_${suffix}`;
  await query(adminUrl, `create database "${name}"`);
  createdDbs.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The partitions of `observation`: name, and rows in each. */
async function partitions(url: string): Promise<Record<string, number>> {
  const rows = await query<{ name: string; n: string }>(
    url,
    `select c.relname as name, (select count(*) from observation o where o.tableoid = c.oid)::text as n
       from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'observation'::regclass order by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

afterAll(async () => {
  for (const name of createdDbs) await query(adminUrl, `drop database if exists "${name}" with (force)`);
  await query(adminUrl, `drop role if exists "${runtimeRole}"`);
});

describe("the partitioning migration", () => {
  let ownerUrl: string;
  let runtimeUrl: string;
  const version = randomUUID();
  const massId = randomUUID();
  let before: {
    id: string;
    interval_start: Date;
    it_load_kw: number | null;
    dataset_version_id: string | null;
    mass_request_id: string | null;
  }[];

  beforeAll(async () => {
    ownerUrl = await freshDatabase("mig");
    runtimeUrl = urlAsRole(ownerUrl, runtimeRole, password);
    await ensureLoginRole(adminUrl, runtimeRole, password);
    // Every migration before this one, and rows as they were stored then.
    const dir = mkdtempSync(join(tmpdir(), "pib-part-migrations-"));
    cpSync("prisma/migrations", dir, { recursive: true });
    const mine = readMigrations(dir).find((m) => m.name.endsWith("_observation_monthly_partitions"))!;
    rmSync(join(dir, mine.name), { recursive: true });
    await deployMigrations(ownerUrl, { migrationsDir: dir });
    await query(
      ownerUrl,
      `insert into dataset (id, tenant_id, name, created_by_type, created_by_id) values ($1, 't', 'd', 'user', 'u');
       insert into dataset_version (id, dataset_id, version, sha256, size_bytes, on_error, uploaded_by_type, uploaded_by_id)
         values ($2, $1, 1, 'h', 0, 'skip', 'user', 'u');
       insert into mass_request (id, kind, schema_version, tenant_id, correlation_id, request_id, idempotency_key, principal_key, payload_hash, raw,
         normalized, warnings, response_status, response_body, created_by_type, created_by_id, received_at, normalized_at, updated_at)
         values ($3, 'simple', '1', 't', 'c', 'r', 'k', 'p', 'h', '{}', '{}', '[]', 201, '{}', 'user', 'u', now(), now(), now());
       insert into observation (tenant_id, site_id, interval_start, interval_end, dataset_version_id, mass_request_id, it_load_kw)
       select 't', 's', ts, ts + interval '1 hour', case when n % 3 = 0 then $2::uuid end, case when n % 3 = 1 then $3::uuid end, n
         from generate_series(1, 2000) n, lateral (select timestamptz '2025-11-28 00:00Z' + n * interval '1 hour' as ts) x;
       delete from observation where id % 7 = 0 and dataset_version_id is null;`
        .replace(/\$1/g, `'${randomUUID()}'`)
        .replace(/\$2/g, `'${version}'`)
        .replace(/\$3/g, `'${massId}'`),
    );
    before = await query(
      ownerUrl,
      "select id::text, interval_start, it_load_kw, dataset_version_id, mass_request_id from observation order by id",
    );
    // The real migration step: the rest of the migrations as the owner, then the runtime role's grants.
    await migrateDatabase(ownerUrl, { runtimeUrl, log: () => {} });
  }, 120_000);

  it("keeps every row with its id, in the partition of its month, and ids go on from the last", async () => {
    const after = await query(
      ownerUrl,
      "select id::text, interval_start, it_load_kw, dataset_version_id, mass_request_id from observation order by id",
    );
    expect(after).toEqual(before);
    expect(before.length).toBeGreaterThan(1700);
    const parts = await partitions(ownerUrl);
    expect(Object.keys(parts)).toEqual([
      "observation_y2025m11",
      "observation_y2025m12",
      "observation_y2026m01",
      "observation_y2026m02",
    ]);
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(before.length);
    const misplaced = await query(
      ownerUrl,
      "select count(*)::int as n from observation where to_char(interval_start at time zone 'UTC', '\"observation_y\"YYYY\"m\"MM') <> tableoid::regclass::text",
    );
    expect(misplaced).toEqual([{ n: 0 }]);
    const [seq] = await query<{ next: string }>(ownerUrl, "select nextval('observation_id_seq')::text as next");
    expect(BigInt(seq!.next)).toBeGreaterThan(BigInt(before.at(-1)!.id));
    const [table] = await query(
      ownerUrl,
      "select relkind::text, (select pg_get_constraintdef(oid) from pg_constraint where conname = 'observation_pkey' and conrelid = 'observation'::regclass) as pk from pg_class where relname = 'observation'",
    );
    expect(table).toEqual({ relkind: "p", pk: "PRIMARY KEY (id, interval_start)" });
    // The old table is gone, and nothing else is left behind.
    expect(await query(ownerUrl, "select to_regclass('observation_unpartitioned') as t")).toEqual([{ t: null }]);
  });

  it("refuses UPDATE and DELETE of a dataset row on a partition, directly and through the parent", async () => {
    const sql = [
      "update observation_y2025m12 set it_load_kw = 0 where dataset_version_id is not null",
      "delete from observation_y2026m01 where dataset_version_id is not null",
      "update observation set it_load_kw = 0 where dataset_version_id is not null and interval_start >= '2026-02-01'",
      "delete from observation where dataset_version_id is not null",
    ];
    for (const s of sql)
      await expect(query(ownerUrl, s)).rejects.toThrow(/observations of a dataset version are immutable/);
    // MASS rows stay changeable (tombstones, superseded_at).
    await query(ownerUrl, "update observation set superseded_at = null where mass_request_id is not null");
  });

  it("still refuses rows of an unknown dataset version, once per statement, for INSERT and COPY into the parent", async () => {
    const unknown = randomUUID();
    await expect(
      query(
        ownerUrl,
        `insert into observation (tenant_id, site_id, interval_start, interval_end, dataset_version_id) values ('t', 's', '2025-12-05Z', '2025-12-05 01:00Z', $1), ('t', 's', '2026-01-05Z', '2026-01-05 01:00Z', $2)`,
        [version, unknown],
      ),
    ).rejects.toThrow(new RegExp(`violates the reference to dataset_version: no version ${unknown}`));
    const client = new pg.Client({ connectionString: runtimeUrl });
    await client.connect();
    try {
      const copy = client.query(
        copyFrom("copy observation (tenant_id, site_id, interval_start, interval_end, dataset_version_id) from stdin"),
      );
      const done = new Promise((resolve, reject) => copy.on("finish", resolve).on("error", reject));
      copy.end(
        `t\ts\t2026-02-03 00:00Z\t2026-02-03 01:00Z\t${version}\nt\ts\t2025-11-30 00:00Z\t2025-11-30 01:00Z\t${unknown}\n`,
      );
      await expect(done).rejects.toThrow(/no version/);
    } finally {
      await client.end();
    }
    // A known version goes in through the parent, into its month's partition.
    await query(
      runtimeUrl,
      "insert into observation (tenant_id, site_id, interval_start, interval_end, dataset_version_id) values ('t', 's', '2026-02-04 00:30Z', '2026-02-04 01:30Z', $1)",
      [version],
    );
    expect(
      await query(
        ownerUrl,
        "select tableoid::regclass::text as p from observation where interval_start = '2026-02-04 00:30Z' and dataset_version_id = $1",
        [version],
      ),
    ).toEqual([{ p: "observation_y2026m02" }]);
  });

  it("lets the runtime role create the month it writes to, through the function only", async () => {
    await expect(
      query(
        runtimeUrl,
        "insert into observation (tenant_id, site_id, interval_start, interval_end) values ('t', 's', '2044-07-01Z', '2044-07-01 01:00Z')",
      ),
    ).rejects.toThrow(/no partition of relation "observation" found/);
    await expect(
      query(
        runtimeUrl,
        "create table observation_y2044m07 partition of observation for values from ('2044-07-01Z') to ('2044-08-01Z')",
      ),
    ).rejects.toThrow(/permission denied|must be owner/);
    await expect(query(runtimeUrl, "alter table observation detach partition observation_y2026m01")).rejects.toThrow(
      /must be owner/,
    );
    expect(
      await query(runtimeUrl, "select ensure_observation_months('2044-07-01 12:00Z', '2044-08-31Z') as n"),
    ).toEqual([{ n: 2 }]);
    expect(await query(runtimeUrl, "select ensure_observation_months('2044-07-09Z', '2044-07-09Z') as n")).toEqual([
      { n: 0 },
    ]);
    await query(
      runtimeUrl,
      "insert into observation (tenant_id, site_id, interval_start, interval_end) values ('t', 's', '2044-07-01Z', '2044-07-01 01:00Z'), ('t', 's', '2044-08-31 23:59:59.999Z', '2044-09-01 01:00Z')",
    );
    const parts = await partitions(ownerUrl);
    expect([parts.observation_y2044m07, parts.observation_y2044m08]).toEqual([1, 1]);
    // The new partition has the parent's indexes and its row trigger.
    const [meta] = await query<{ indexes: number; triggers: string[] }>(
      ownerUrl,
      `select (select count(*)::int from pg_index where indrelid = 'observation_y2044m07'::regclass) as indexes,
              (select array_agg(tgname::text order by tgname) from pg_trigger where tgrelid = 'observation_y2044m07'::regclass) as triggers`,
    );
    expect(meta).toMatchObject({ indexes: 5 });
    expect(meta!.triggers).toContain("observation_dataset_immutable");
    // Nobody else may call the functions (EXECUTE is not PUBLIC's).
    const publicExecute = await query(
      ownerUrl,
      "select count(*)::int as n from pg_proc p, aclexplode(p.proacl) a where p.proname in ('ensure_observation_months', 'drop_observation_months_before') and a.grantee = 0",
    );
    expect(publicExecute).toEqual([{ n: 0 }]);
  });
});

describe("loads create the months they touch", () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  const site = `part-${suffix}`;
  beforeAll(async () => {
    analyst = (await userWithRole("analyst")).token;
    await db.connect();
  });
  afterAll(() => db.end());

  const placed = async (where: string, params: unknown[]) =>
    (
      await db.query<{ p: string; n: number }>(
        `select tableoid::regclass::text as p, count(*)::int as n from observation where ${where} group by 1 order by 1`,
        params,
      )
    ).rows;

  it("MASS: single readings far in the past and the future, and a batch over two new months", async () => {
    for (const ts of ["1987-04-12T10:00:00Z", "2199-09-30T23:45:00Z"]) {
      const res = await call("/api/v1/mass", {
        token: analyst,
        body: { payload: { site_id: site, timestamp_utc: ts, it_load_kw: 10 } },
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const items = ["2077-01-31T23:00:00Z", "2077-02-01T00:00:00Z", "2077-02-14T00:00:00Z"].map((ts, i) => ({
      idempotency_key: `part-${suffix}-${i}`,
      payload: { site_id: site, timestamp_utc: ts, it_load_kw: 20 + i },
    }));
    const res = await call("/api/v1/mass/batch", {
      token: analyst,
      body: JSON.stringify(items),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await placed("site_id = $1", [site])).toEqual([
      { p: "observation_y1987m04", n: 1 },
      { p: "observation_y2077m01", n: 1 },
      { p: "observation_y2077m02", n: 2 },
      { p: "observation_y2199m09", n: 1 },
    ]);
    // The rollups of the new months were kept as for any other.
    const hours = await db.query("select count(*)::int as n from observation_rollup_hour where site_id = $1", [site]);
    expect(hours.rows).toEqual([{ n: 5 }]);
  });

  it("CSV: a load across a month boundary into months nobody wrote to, and out of time order", async () => {
    const header = "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw";
    const t0 = Date.parse("2081-03-31T22:00:00Z");
    const lines = Array.from(
      { length: 16 },
      (_, i) => `${new Date(t0 + i * 900_000).toISOString()},${site},c01,${100 + i},${140 + i}`,
    );
    // A row of a third month last (the COPY under way ends, the month is made, the COPY goes on).
    lines.push(`1991-06-01T00:00:00Z,${site},c02,1,2`, `1991-06-01T00:15:00Z,${site},c02,1,2`);
    const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name: `part-${suffix}` })}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: `${header}\n${lines.join("\n")}\n`,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { version } = (await res.json()) as { version: { id: string; row_count: number } };
    expect(version.row_count).toBe(18);
    expect(await placed("dataset_version_id = $1", [version.id])).toEqual([
      { p: "observation_y1991m06", n: 2 },
      { p: "observation_y2081m03", n: 8 },
      { p: "observation_y2081m04", n: 8 },
    ]);
    // Immutable on its partitions like any dataset row.
    await expect(
      db.query("delete from observation_y2081m04 where dataset_version_id = $1", [version.id]),
    ).rejects.toThrow(/immutable/);
  });
});

describe("retention", () => {
  let ownerUrl: string;
  let runtimeUrl: string;
  let retention: typeof import("@/lib/observations/retention");
  let parts: typeof import("@/lib/observations/partitions");
  let lib: typeof import("@/lib/db");
  const now = new Date();
  const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  const thisMonth = monthOf(now);
  const lastMonth = monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));

  beforeAll(async () => {
    ownerUrl = await freshDatabase("ret");
    runtimeUrl = urlAsRole(ownerUrl, runtimeRole, password);
    await ensureLoginRole(adminUrl, runtimeRole, password);
    await migrateDatabase(ownerUrl, { runtimeUrl, log: () => {} });
    const rows = (month: string, n: number) =>
      `select ensure_observation_months('${month}-01Z', '${month}-01Z');
       insert into observation (tenant_id, site_id, interval_start, interval_end, it_load_kw)
       select 't', 's', timestamptz '${month}-01Z' + g * interval '1 hour', timestamptz '${month}-01Z' + (g + 1) * interval '1 hour', g from generate_series(0, ${n - 1}) g;`;
    await query(
      runtimeUrl,
      [rows("2019-01", 30), rows("2019-02", 20), rows(lastMonth, 5), rows(thisMonth, 3)].join("\n"),
    );
    // A rollup row of an old month: retention keeps the rollups.
    await query(
      ownerUrl,
      "insert into observation_rollup_day (tenant_id, site_id, bucket, rows, hotspot_readings, p95_inlet_count, present_intervals) values ('t', 's', '2019-01-02Z', 24, 0, 0, 24)",
    );
    // The app's code in this process, as the runtime role of this database.
    process.env.DATABASE_URL = runtimeUrl;
    retention = await import("@/lib/observations/retention");
    parts = await import("@/lib/observations/partitions");
    lib = await import("@/lib/db");
  }, 120_000);

  afterAll(async () => {
    await lib?.db().$disconnect();
  });

  it("drops nothing when OBSERVATION_RETENTION_MONTHS is unset (npm run retention)", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: runtimeUrl, DATABASE_MIGRATION_URL: ownerUrl };
    delete env.OBSERVATION_RETENTION_MONTHS;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/retention.ts"], {
      env,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/every observation is kept/);
    expect(Object.keys(await partitions(ownerUrl))).toHaveLength(4);
    expect(
      await query(ownerUrl, "select count(*)::int as n from audit_event where action = 'observation.retention_drop'"),
    ).toEqual([{ n: 0 }]);
  });

  it("drops the whole months older than the setting, each with an audit event, and keeps newer months and the rollups", async () => {
    const dropped = await retention.retentionPass(12);
    expect(dropped).toEqual([
      { month: "2019-01", partition: "observation_y2019m01", rows: 30 },
      { month: "2019-02", partition: "observation_y2019m02", rows: 20 },
    ]);
    const left = await partitions(ownerUrl);
    expect(left).toEqual({
      [`observation_y${lastMonth.replace("-", "m")}`]: 5,
      [`observation_y${thisMonth.replace("-", "m")}`]: 3,
    });
    expect(
      await query(ownerUrl, "select count(*)::int as n from observation where interval_start < '2020-01-01'"),
    ).toEqual([{ n: 0 }]);
    const events = await query(
      ownerUrl,
      "select target_id, result, outputs from audit_event where action = 'observation.retention_drop' order by target_id",
    );
    expect(events).toEqual([
      {
        target_id: "2019-01",
        result: "ok",
        outputs: expect.objectContaining({ month: "2019-01", rows: 30, rollups: "kept" }),
      },
      {
        target_id: "2019-02",
        result: "ok",
        outputs: expect.objectContaining({ month: "2019-02", rows: 20, rollups: "kept" }),
      },
    ]);
    expect(await query(ownerUrl, "select rows from observation_rollup_day where bucket = '2019-01-02Z'")).toEqual([
      { rows: 24 },
    ]);
    // Again: nothing more to drop.
    expect(await retention.retentionPass(12)).toEqual([]);
    // A cutoff within the last month is refused by the database itself.
    await expect(query(runtimeUrl, "select * from drop_observation_months_before(now())")).rejects.toThrow(
      /within the last month/,
    );
  });

  it("audits a drop whoever calls the function: the runtime role calling it directly leaves its event too", async () => {
    await parts.ensureObservationMonths([new Date("2017-03-03T00:00:00Z")]);
    const dropped = await query(runtimeUrl, "select partition_name from drop_observation_months_before('2017-04-01Z')");
    expect(dropped).toEqual([{ partition_name: "observation_y2017m03" }]);
    const events = await query(
      ownerUrl,
      "select actor_type, actor_label, target_id, outputs from audit_event where action = 'observation.retention_drop' and target_id = '2017-03'",
    );
    expect(events).toEqual([
      {
        actor_type: "system",
        actor_label: expect.stringMatching(/^database session /),
        target_id: "2017-03",
        outputs: expect.objectContaining({ rows: 0, partition: "observation_y2017m03" }),
      },
    ]);
  });

  it("stores again into a month another process dropped (the write ensures its month and retries)", async () => {
    const at = new Date("2018-05-05T00:00:00Z");
    await parts.ensureObservationMonths([at]);
    // Dropped behind this process's back (another replica's retention): its cache still names the month.
    await query(ownerUrl, "select * from drop_observation_months_before('2018-06-01Z')");
    let attempts = 0;
    await parts.withObservationMonths([at], () =>
      lib.pgTransaction(async (tx) => {
        attempts++;
        await tx.query(
          "insert into observation (tenant_id, site_id, interval_start, interval_end) values ('t', 's', $1, $1::timestamptz + interval '1 hour')",
          [at],
        );
      }),
    );
    expect(attempts).toBe(2);
    expect(await partitions(ownerUrl)).toMatchObject({ observation_y2018m05: 1 });
  });
});
