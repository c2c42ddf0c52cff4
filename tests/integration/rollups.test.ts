// The rollups against the raw observations: after CSV loads (rows in time order, accumulated by the
// loader, and out of order, rebuilt in SQL), MASS ingests (also concurrent ones into one hour, and
// one interval sent three times: the latest received counts; and twenty at once into one
// series-hour, resending timestamps) and MASS deletions, (1) the rollup tables equal what the
// migrations' backfills compute from the raw rows, each superseded_at is where the migration that
// added it would put it, and (2) the KPIs, trends and worst-zone p95 the API answers over unaligned periods equal
// the same figures computed here by SQL over the raw rows (the queries the dashboard ran before
// it had rollups).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mulberry32 } from "@/lib/seeded-random";
import { adminToken, baseUrl, call, freshIp, userWithRole } from "../support/http";

const MIGRATION = "prisma/migrations/20261123151000_observation_rollups/migration.sql";
// Recomputes the MASS rollups the first backfill summed over repeated timestamps.
const REPEATS_MIGRATION = "prisma/migrations/20261207010000_mass_repeats_once/migration.sql";
// Marks the live MASS readings a later one supersedes (the app keeps superseded_at when writing).
const SUPERSEDED_MIGRATION = "prisma/migrations/20261207030000_mass_superseded/migration.sql";
const KEYS = "tenant_id, site_id, facility_id, cluster_id, zone_id, dataset_version_id";
const ORDER = `tenant_id collate "C", site_id collate "C", facility_id collate "C" nulls first, cluster_id collate "C" nulls first, zone_id collate "C" nulls first, dataset_version_id nulls first, bucket`;

const HEADER =
  "timestamp_utc,site_id,facility_id,cluster_id,zone_id,interval_seconds,it_load_kw,facility_power_kw,chiller_kw,fan_power_kw,energy_price_usd_per_kwh,carbon_intensity_gco2_per_kwh,avg_rack_inlet_c,p95_rack_inlet_c,hotspot_rack_count,cooling_setpoint_c";
const SERIES = [
  ["s1", "s1-dc", "c1", "z1"],
  ["s1", "s1-dc", "c2", "z1"],
  ["s1", "s1-dc", "c3", ""],
  ["s2", "", "", ""],
] as const;

/** Three days of 10-minute rows per series from 2026-03-01 05:00 with gaps, blanks, ties and a setpoint change. */
function csvLines(seed: number): string[] {
  const rand = mulberry32(seed);
  const lines: string[] = [];
  const start = Date.parse("2026-03-01T05:00:00Z");
  for (let i = 0; i < 432; i++) {
    const t = start + i * 600_000;
    for (const [site, facility, cluster, zone] of SERIES) {
      if (rand() < 0.03) continue; // missing interval
      const it = Math.round(200 + 300 * rand());
      const blank = (v: string) => (rand() < 0.08 ? "" : v);
      const setpoint = t >= Date.parse("2026-03-02T13:40:00Z") && site === "s1" ? 24 : 22;
      // p95 readings on a 0.05 °C grid: plenty of ties, some on a bin edge.
      const p95 = (24 + Math.round(rand() * 100) * 0.05).toFixed(2);
      lines.push(
        [
          new Date(t).toISOString(),
          site,
          facility,
          cluster,
          zone,
          600,
          it,
          blank(String(it + Math.round(60 + 90 * rand()))),
          blank((20 + 30 * rand()).toFixed(2)),
          blank((3 + 5 * rand()).toFixed(2)),
          blank((0.1 + 0.2 * rand()).toFixed(4)),
          blank((150 + 250 * rand()).toFixed(1)),
          blank((21 + 4 * rand()).toFixed(2)),
          blank(p95),
          blank(String(rand() < 0.2 ? Math.floor(3 * rand()) + 1 : 0)),
          setpoint,
        ].join(","),
      );
    }
  }
  return lines;
}

async function upload(token: string, tenant: string, name: string, lines: string[]) {
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: `${[HEADER, ...lines].join("\n")}\n`,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

type Row = Record<string, unknown>;

/** a ≈ b: numbers within 1e-9 relative, arrays element-wise, anything else equal. */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number")
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

function expectClose(actual: Row, expected: Row, label: string) {
  for (const key of Object.keys(expected)) {
    if (!close(actual[key], expected[key]))
      throw new Error(
        `${label}: ${key} is ${JSON.stringify(actual[key])}, raw rows give ${JSON.stringify(expected[key])}`,
      );
  }
}

describe("rollups", () => {
  const tenant = `roll-${randomBytes(3).toString("hex")}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  // float8 arrays and numerics as JS numbers.
  const parse = (v: string | null) => (v === null ? null : Number(v));
  beforeAll(async () => {
    await db.connect();
    db.setTypeParser(1700, parse);
    db.setTypeParser(20, parse);
    analyst = (await userWithRole("analyst")).token;
  });
  afterAll(() => db.end());

  /** Rollups of the tenant as maintained, and as the migration's backfill computes them from the raw rows. */
  async function maintainedAndBackfilled(): Promise<{ maintained: Row[][]; backfilled: Row[][] }> {
    const backfill = readFileSync(join(process.cwd(), MIGRATION), "utf8").split("-- Hand-written")[1]!;
    const repeats = readFileSync(join(process.cwd(), REPEATS_MIGRATION), "utf8");
    const read = async () =>
      Promise.all(
        ["observation_rollup_hour", "observation_rollup_day"].map(async (table) =>
          (await db.query(`select * from ${table} where tenant_id = $1 order by ${ORDER}`, [tenant])).rows.map(
            ({ id: _id, ...rest }) => rest,
          ),
        ),
      );
    await db.query("begin");
    try {
      const maintained = await read();
      await db.query("delete from observation_rollup_hour");
      await db.query("delete from observation_rollup_day");
      await db.query(`-- Hand-written${backfill}`);
      await db.query(repeats);
      return { maintained, backfilled: await read() };
    } finally {
      await db.query("rollback");
    }
  }

  /** Live MASS readings whose superseded_at disagrees with "the latest received live reading of its series and interval counts". */
  const MISMARKED = `select count(*)::int as n from observation o
     where o.tenant_id = $1 and o.dataset_version_id is null and o.mass_request_id is not null and o.deleted_at is null
       and (o.superseded_at is null) <> (o.id = (select max(n.id) from observation n
             where n.tenant_id = o.tenant_id and n.site_id = o.site_id and n.facility_id is not distinct from o.facility_id and n.cluster_id is not distinct from o.cluster_id
               and n.zone_id is not distinct from o.zone_id and n.interval_start = o.interval_start and n.mass_request_id is not null and n.deleted_at is null))`;

  /** superseded_at as the app keeps it, and as the migration that added it marks it from scratch. */
  async function expectSupersededMarked(): Promise<void> {
    expect((await db.query(MISMARKED, [tenant])).rows[0].n, "mismarked as the app keeps them").toBe(0);
    const update = /UPDATE "observation"[\s\S]*?;/
      .exec(readFileSync(join(process.cwd(), SUPERSEDED_MIGRATION), "utf8"))![0]
      .replace("WHERE o.dataset_version_id IS NULL", "WHERE o.tenant_id = $1 AND o.dataset_version_id IS NULL");
    await db.query("begin");
    try {
      await db.query("update observation set superseded_at = null where tenant_id = $1 and superseded_at is not null", [
        tenant,
      ]);
      await db.query(update, [tenant]);
      expect((await db.query(MISMARKED, [tenant])).rows[0].n, "mismarked by the migration").toBe(0);
    } finally {
      await db.query("rollback");
    }
  }

  async function expectRollupsEqualBackfill(): Promise<void> {
    await expectSupersededMarked();
    const { maintained, backfilled } = await maintainedAndBackfilled();
    for (const [level, i] of [
      ["hour", 0],
      ["day", 1],
    ] as const) {
      expect(maintained[i]!.length, `${level} rows`).toBe(backfilled[i]!.length);
      expect(maintained[i]!.length).toBeGreaterThan(0);
      maintained[i]!.forEach((row, n) =>
        expectClose(
          row,
          backfilled[i]![n]!,
          `${level} ${JSON.stringify(
            Object.fromEntries(
              KEYS.split(", ")
                .concat("bucket")
                .map((k) => [k, row[k]]),
            ),
          )}`,
        ),
      );
    }
  }

  // Live MASS rows: not tombstoned, and not superseded by a later-received live reading of the
  // same series and interval (README "One value per series and interval").
  const scopeSql = `o.tenant_id = $1 and (o.dataset_version_id in (select distinct on (dataset_id) id from dataset_version where state = 'ready' order by dataset_id, version desc)
      or (o.mass_request_id is not null and o.deleted_at is null
          and o.id = (select max(n.id) from observation n
                       where n.tenant_id = o.tenant_id and n.site_id = o.site_id and n.facility_id is not distinct from o.facility_id and n.cluster_id is not distinct from o.cluster_id
                         and n.zone_id is not distinct from o.zone_id and n.interval_start = o.interval_start and n.mass_request_id is not null and n.deleted_at is null)))`;
  // One source per asset and UTC hour (README "One value per series and interval"): the latest
  // uploaded version with rows in the hour, datasets above MASS — decided over the whole hour,
  // then cut to the period. Plain SQL over the raw rows: no rollups, no plan.
  const obs = `(select o.* from (
       select o.*, extract(epoch from (o.interval_end - o.interval_start)) / 3600.0 as h,
              max(o.rk) over (partition by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, date_bin('1 hour', o.interval_start, timestamptz '2000-01-01 00:00:00+00')) as top
         from (select o.*, coalesce(to_char(v.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || v.id::text, '0') as rk
                 from observation o left join dataset_version v on v.id = o.dataset_version_id where ${scopeSql}) o) o
     where o.rk = o.top and o.interval_start >= $2 and o.interval_start < $3) o`;

  /** The KPIs by SQL over the raw rows (the dashboard's queries before rollups). */
  async function rawKpis(from: string, to: string): Promise<Row> {
    const [t] = (
      await db.query(
        `select sum(o.facility_power_kw * o.h)::float8 as facility_kwh, sum(o.it_load_kw * o.h)::float8 as it_kwh,
                sum(o.facility_power_kw * o.h) filter (where o.it_load_kw is not null)::float8 as pf, sum(o.it_load_kw * o.h) filter (where o.facility_power_kw is not null)::float8 as pi,
                sum((coalesce(o.chiller_kw, 0) + coalesce(o.fan_power_kw, 0)) * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null)::float8 as cooling_kwh,
                sum(o.facility_power_kw * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null)::float8 as cf,
                sum(o.facility_power_kw * o.h * o.energy_price_per_kwh)::float8 as cost, min(o.currency) as cmin, max(o.currency) as cmax,
                (sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh) / 1000)::float8 as co2e_kg,
                (sum(o.avg_rack_inlet_c * o.h) / nullif(sum(o.h) filter (where o.avg_rack_inlet_c is not null), 0))::float8 as avg_inlet_c,
                (case when count(o.hotspot_rack_count) > 0 then coalesce(sum(o.h) filter (where o.hotspot_rack_count > 0), 0) end)::float8 as hotspot_hours,
                count(*)::int as rows
           from ${obs}`,
        [tenant, from, to],
      )
    ).rows as Row[];
    const [worst] = (
      await db.query(
        `select concat_ws(' / ', o.site_id, coalesce(o.zone_id, o.cluster_id)) as zone, percentile_cont(0.95) within group (order by o.p95_rack_inlet_c)::float8 as p95
           from ${obs} where o.p95_rack_inlet_c is not null group by 1 order by 2 desc, 1 limit 1`,
        [tenant, from, to],
      )
    ).rows as Row[];
    const coverage = (
      await db.query(
        `select concat_ws('|', o.tenant_id, o.site_id, coalesce(o.facility_id, '-'), coalesce(o.cluster_id, '-'), coalesce(o.zone_id, '-')) as asset,
                count(*)::int as present, min(o.h)::float8 as step
           from ${obs} where o.h > 0 group by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id, (o.mass_request_id is not null)`,
        [tenant, from, to],
      )
    ).rows as { asset: string; present: number; step: number }[];
    const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
    // Coverage per asset: the time its intervals cover, whichever source holds them.
    const assets = new Map<string, { hours: number; step: number }>();
    for (const c of coverage) {
      const a = assets.get(c.asset) ?? { hours: 0, step: c.step };
      a.hours += c.present * c.step;
      a.step = Math.min(a.step, c.step);
      assets.set(c.asset, a);
    }
    const expected = [...assets.values()].reduce((n, a) => n + Math.max(a.step, hours), 0);
    const present = [...assets.values()].reduce((n, a) => n + a.hours, 0);
    const k = t!;
    return {
      facility_kwh: k.facility_kwh,
      it_kwh: k.it_kwh,
      pue: k.pf && k.pi ? (k.pf as number) / (k.pi as number) : null,
      cooling_kwh: k.cooling_kwh,
      cooling_share: k.cooling_kwh !== null && k.cf ? (k.cooling_kwh as number) / (k.cf as number) : null,
      cost: k.cost,
      currency: k.cmin === null ? null : k.cmin === k.cmax ? k.cmin : "mixed",
      co2e_kg: k.co2e_kg,
      avg_inlet_c: k.avg_inlet_c,
      p95_inlet_c: worst?.p95 ?? null,
      p95_inlet_worst_zone: worst?.zone ?? null,
      hotspot_hours: k.hotspot_hours,
      coverage: expected > 0 ? Math.min(1, present / expected) : null,
      rows: k.rows,
      series: assets.size,
    };
  }

  /** The trend buckets by SQL over the raw rows, unrounded. */
  async function rawTrends(from: string, to: string, step: number): Promise<Row[]> {
    return (
      await db.query(
        // Buckets on UTC boundaries (hours up to a day, midnights beyond); power over the part of
        // the bucket inside [from, to).
        `with b as (select date_bin(make_interval(secs => $4::float8), o.interval_start,
                                    to_timestamp(floor(extract(epoch from $2::timestamptz) / least($4::float8, 86400)) * least($4::float8, 86400))) as t, o.*
                      from ${obs})
         select b.t,
                (sum(b.facility_power_kw * b.h) / (extract(epoch from least(b.t + make_interval(secs => $4::float8), $3::timestamptz) - greatest(b.t, $2::timestamptz)) / 3600.0))::float8 as facility_kw,
                (sum(b.it_load_kw * b.h) / (extract(epoch from least(b.t + make_interval(secs => $4::float8), $3::timestamptz) - greatest(b.t, $2::timestamptz)) / 3600.0))::float8 as it_kw,
                (sum(b.facility_power_kw * b.h) filter (where b.it_load_kw is not null) / nullif(sum(b.it_load_kw * b.h) filter (where b.facility_power_kw is not null), 0))::float8 as pue,
                avg(b.p95_rack_inlet_c)::float8 as p95_inlet_c, max(b.p95_rack_inlet_c)::float8 as p95_inlet_max_c,
                sum(b.facility_power_kw * b.h * b.energy_price_per_kwh)::float8 as cost,
                (sum(b.facility_power_kw * b.h * b.carbon_intensity_gco2_per_kwh) / nullif(sum(b.facility_power_kw * b.h) filter (where b.carbon_intensity_gco2_per_kwh is not null), 0))::float8 as carbon_intensity
           from b group by 1 order by 1`,
        [tenant, from, to, step],
      )
    ).rows as Row[];
  }

  const DIGITS: Record<string, number> = {
    facility_kw: 1,
    it_kw: 1,
    pue: 4,
    p95_inlet_c: 2,
    p95_inlet_max_c: 2,
    cost: 2,
    carbon_intensity: 1,
  };

  /** The API's KPIs and trends for [from, to) equal the raw-row SQL (trends: to their rounding). */
  async function expectApiEqualsRaw(from: string, to: string) {
    const q = new URLSearchParams({ period: "custom", from, to, tenant_id: tenant });
    const api = (await (await call(`/api/v1/kpi?${q}`, { token: analyst })).json()) as { kpis: Row };
    const raw = await rawKpis(from, to);
    expect(raw.rows).toBeGreaterThan(0);
    expectClose(api.kpis, raw, `KPIs ${from} → ${to}`);
    for (const points of ["10", "50", "400"]) {
      const trends = (await (
        await call(`/api/v1/kpi/trends?${new URLSearchParams({ ...Object.fromEntries(q), points })}`, {
          token: analyst,
        })
      ).json()) as { bucket_seconds: number; points: Row[] };
      const expected = await rawTrends(from, to, trends.bucket_seconds);
      expect(trends.points.map((p) => p.t)).toEqual(expected.map((e) => (e.t as Date).toISOString()));
      trends.points.forEach((p, i) => {
        for (const [key, digits] of Object.entries(DIGITS)) {
          const want = expected[i]![key] as number | null;
          const got = p[key] as number | null;
          // The API rounds; the exact value may differ from the raw one by summation order only.
          if (want === null || got === null)
            expect(got, `${key} at ${p.t as string}`).toBe(want === null ? null : Number(want.toFixed(digits)));
          else
            expect(Math.abs(got - want), `${key} at ${p.t as string} (${trends.bucket_seconds} s)`).toBeLessThanOrEqual(
              0.5 * 10 ** -digits + 1e-9 * Math.abs(want),
            );
        }
      });
    }
  }

  // Whole days, whole hours and partial hours at both ends; one hour's inside; whole days only.
  const PERIODS = [
    ["2026-03-01T05:17:00.000Z", "2026-03-03T19:43:30.000Z"],
    ["2026-03-02T10:05:00.000Z", "2026-03-02T10:50:00.000Z"],
    ["2026-03-02T00:00:00.000Z", "2026-03-04T00:00:00.000Z"],
    ["2026-03-02T09:59:59.999Z", "2026-03-02T12:00:00.001Z"],
  ] as const;

  it("after CSV loads — in time order, and with a series out of order — equal the raw rows", async () => {
    await upload(analyst, tenant, "ordered", csvLines(1));
    const lines = csvLines(2).map((l) => l.replace(",s2,", ",s3,"));
    // Swap two rows of one series: the loader's running rollups give up and rebuild in SQL.
    const s3 = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes(",s3,"));
    const [a, b] = [s3[10]![1], s3[200]![1]];
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    await upload(analyst, tenant, "shuffled", lines);
    await expectRollupsEqualBackfill();
    for (const [from, to] of PERIODS) await expectApiEqualsRaw(from, to);
  });

  const mass = (i: number, payload: Record<string, unknown>) =>
    call("/api/v1/mass", {
      token: analyst,
      headers: { "Idempotency-Key": `${tenant}-${i}` },
      body: { payload: { tenant_id: tenant, currency: "usd", ...payload } },
    });

  it("after MASS ingests — repeated timestamps, instants, concurrent writers into one hour — equal the raw rows", async () => {
    const reading = (i: number, at: string, seconds: number | null, extra: Record<string, unknown> = {}) =>
      mass(i, {
        site_id: i % 3 === 0 ? "s1" : "m1",
        cluster_id: i % 3 === 0 ? "c1" : null,
        zone_id: i % 3 === 0 ? "z1" : null,
        facility_id: i % 3 === 0 ? "s1-dc" : null,
        timestamp_utc: at,
        ...(seconds === null ? {} : { interval_seconds: seconds }),
        it_load_kw: 100 + i,
        facility_power_kw: 130 + 2 * i,
        chiller_kw: i % 2 ? 12.5 : undefined,
        energy_price_usd_per_kwh: 0.2,
        carbon_intensity_gco2_per_kwh: 250 + i,
        avg_rack_inlet_c: 22 + i / 10,
        p95_rack_inlet_c: 25 + (i % 7) / 4,
        hotspot_rack_count: i % 4 === 0 ? 1 : 0,
        cooling_setpoint_c: i < 20 ? 22 : 23,
        ...extra,
      });
    // Sent one after another (thunks, not promises: created promises would race, and which of the
    // repeated readings is received last would be left to chance).
    const sequential = [
      () => reading(1, "2026-03-02T10:20:00Z", 300),
      () => reading(2, "2026-03-02T10:20:00Z", 300), // the same interval again: the latest received counts
      () => reading(7, "2026-03-02T10:20:00Z", 300), // and a third time (deleted below: reading 2 counts again)
      () => reading(3, "2026-03-02T10:45:00Z", null), // an instant
      () => reading(4, "2026-03-02T11:00:00Z", 3600),
      () => reading(5, "2026-03-03T23:59:00Z", 120),
    ];
    for (const send of sequential) expect((await send()).status).toBe(201);
    const concurrent = await Promise.all(
      Array.from({ length: 12 }, (_, k) => reading(20 + k, `2026-03-02T11:${String(5 * k).padStart(2, "0")}:00Z`, 300)),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(12).fill(201));
    await expectRollupsEqualBackfill();
    for (const [from, to] of PERIODS) await expectApiEqualsRaw(from, to);
  });

  it("after MASS deletions — a deleted reading leaves its hour and day, a superseded one changes nothing — equal the raw rows", async () => {
    const liveRows = async () =>
      (
        await db.query(
          "select sum(rows)::int as n from observation_rollup_hour where tenant_id = $1 and dataset_version_id is null",
          [tenant],
        )
      ).rows[0].n as number;
    const remove = async (i: number) => {
      const { rows } = await db.query(
        "select m.id from mass_request m where m.tenant_id = $1 and m.idempotency_key = $2",
        [tenant, `${tenant}-${i}`],
      );
      expect(rows).toHaveLength(1);
      expect((await call(`/api/v1/mass/${rows[0].id}`, { method: "DELETE", token: await adminToken() })).status).toBe(
        204,
      );
    };
    // Reading 5 is the only one of its interval: it leaves the rollups.
    let before = await liveRows();
    await remove(5);
    expect(await liveRows()).toBe(before - 1);
    // Reading 4 (11:00, one hour) was superseded by reading 20 (11:00, five minutes, received later):
    // it counted nowhere, so deleting it changes nothing.
    before = await liveRows();
    await remove(4);
    expect(await liveRows()).toBe(before);
    await expectRollupsEqualBackfill();
    for (const [from, to] of PERIODS) await expectApiEqualsRaw(from, to);
    // The newest of three readings of one interval deleted: the one received before it counts again.
    const hour =
      "select facility_kwh, rows from observation_rollup_hour where tenant_id = $1 and site_id = 'm1' and dataset_version_id is null and bucket = '2026-03-02T10:00:00Z'";
    const [was] = (await db.query(hour, [tenant])).rows as { facility_kwh: number; rows: number }[];
    await remove(7);
    const [now] = (await db.query(hour, [tenant])).rows as { facility_kwh: number; rows: number }[];
    expect(now!.rows).toBe(was!.rows);
    // Reading 7 had 144 kW, reading 2 has 134 kW, over 5 minutes.
    expect(now!.facility_kwh).toBeCloseTo(was!.facility_kwh - (10 * 5) / 60, 9);
    await expectRollupsEqualBackfill();
    for (const [from, to] of PERIODS) await expectApiEqualsRaw(from, to);
  });

  it("after concurrent MASS ingests into one series-hour — repeated timestamps, a deletion among them — equal the raw rows", async () => {
    // One series (site q1, no facility, cluster or zone), 2026-03-03 14:00–15:00: twelve 5-minute
    // intervals, and eight more requests resending three of them, all at once.
    const at = (k: number) => `2026-03-03T14:${String(5 * (k % 12)).padStart(2, "0")}:00Z`;
    const reading = (i: number, k: number) =>
      mass(i, {
        site_id: "q1",
        timestamp_utc: at(k),
        interval_seconds: 300,
        it_load_kw: 200 + i,
        facility_power_kw: 260 + 3 * i,
        fan_power_kw: i % 2 ? 4.25 : undefined,
        energy_price_usd_per_kwh: 0.15,
        avg_rack_inlet_c: 21 + (i % 9) / 8,
        // Ties, and the largest and smallest reading of the hour on repeated timestamps.
        p95_rack_inlet_c: i === 115 ? 31 : i === 117 ? 19.5 : 24 + (i % 5) / 4,
        hotspot_rack_count: i % 3 === 0 ? 2 : 0,
      });
    const first = Array.from({ length: 20 }, (_, n) => ({
      i: 100 + n,
      k: n < 12 ? n : [3, 3, 3, 7, 7, 11, 11, 11][n - 12]!,
    }));
    const answers = await Promise.all(first.map(({ i, k }) => reading(i, k)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    await expectRollupsEqualBackfill();
    // Then, at once: five more resends of those timestamps, and the deletion of two resends
    // (the latest of a timestamp, if it was, brings back the one received before it).
    const ids = async (i: number) =>
      (
        await db.query("select m.id from mass_request m where m.tenant_id = $1 and m.idempotency_key = $2", [
          tenant,
          `${tenant}-${i}`,
        ])
      ).rows[0].id as string;
    const removals = await Promise.all([115, 119].map(ids));
    const second = await Promise.all([
      ...[3, 7, 11, 11, 0].map((k, n) => reading(130 + n, k)),
      ...removals.map(async (id) => await call(`/api/v1/mass/${id}`, { method: "DELETE", token: await adminToken() })),
    ]);
    expect(second.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 204, 204]);
    await expectRollupsEqualBackfill();
    for (const [from, to] of [
      ["2026-03-03T14:00:00.000Z", "2026-03-03T15:00:00.000Z"],
      ["2026-03-03T14:12:00.000Z", "2026-03-03T14:47:00.000Z"],
      ...PERIODS,
    ])
      await expectApiEqualsRaw(from!, to!);
  });

  it("find the setpoint changes the raw rows hold", async () => {
    const res = (await (
      await call(`/api/v1/kpi/compare?${new URLSearchParams({ tenant_id: tenant, days: "1" })}`, { token: analyst })
    ).json()) as { setpoint_changes: { at: string; tenant_id: string; site: string; from: number; to: number }[] };
    const { rows } = await db.query(
      `with s as (select o.interval_start, o.site_id, o.cooling_setpoint_c,
                         lag(o.cooling_setpoint_c) over (partition by o.tenant_id, o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.dataset_version_id order by o.interval_start, o.id) as previous
                    from observation o where o.cooling_setpoint_c is not null and ${scopeSql})
       select interval_start as at, site_id as site, min(previous)::float8 as from, min(cooling_setpoint_c)::float8 as to
         from s where previous is not null and previous <> cooling_setpoint_c group by 1, 2 order by 1 desc, 2 limit 10`,
      [tenant],
    );
    expect(rows.length).toBeGreaterThan(1);
    expect(res.setpoint_changes).toEqual(
      rows.map((r) => ({ at: (r.at as Date).toISOString(), tenant_id: tenant, site: r.site, from: r.from, to: r.to })),
    );
  });
});
