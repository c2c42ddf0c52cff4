// The stale-run pass a study makes over its inputs (staleRuns, lib/mv/queries/intervals.ts) against an
// oracle: the rows the study reads, read back with a plain select, and for each series and checked
// column the readings (nulls skipped) walked in time order in TypeScript — a run is consecutive
// readings with one value lasting longer than the threshold from the first reading's start to the
// last one's. The pass keeps only readings that may belong to a run and forms the runs over those;
// it must find every run whole, with its value and ends, and no other.
//
// The data is messy on purpose and fixed (one seed): four meters in four series, 15-minute, hourly
// and 5-minute exports, a later upload covering some days again (it wins those hours), MASS readings
// in a hole of the first export (one sent twice), values drawn from a few levels so runs of every
// length appear, end to end or with one other reading between them, blanks alone and in stretches,
// gaps in time of minutes to days, runs across hour and day boundaries and across all of these. The
// runs are compared for several thresholds, column sets, scopes and periods, and with the query the
// pass replaced (one window pass per column over every row).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { mulberry32 } from "@/lib/seeded-random";
import type { StudySpec } from "@/lib/mv/spec";
import { call, baseUrl, freshIp, userWithRole } from "../support/http";
import { previousStaleRuns, type StaleRunRow } from "../support/mv-stale-previous";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const D0 = Date.parse("2026-02-02T00:00:00Z");
const iso = (t: number) => new Date(t).toISOString();
const COLUMNS = ["it_load_kw", "facility_power_kw", "chiller_kw", "fan_power_kw"] as const;
type Column = (typeof COLUMNS)[number];
type Series = { site: string; facility: string; cluster: string; zone: string };
const SERIES: Series[] = [
  { site: "s1", facility: "s1-dc", cluster: "c1", zone: "z1" },
  { site: "s1", facility: "s1-dc", cluster: "c2", zone: "" },
  { site: "s1", facility: "", cluster: "", zone: "" },
  { site: "s2", facility: "s2-dc", cluster: "c1", zone: "z9" },
  { site: "s3", facility: "", cluster: "c1", zone: "" },
];
// The first export leaves these hours of series 0 empty; MASS readings fill some of them.
const HOLE_FROM = D0 + 10 * DAY + 2 * HOUR;
const HOLE_TO = HOLE_FROM + 5 * HOUR;

/**
 * One meter's readings: segments of one value (lengths from 1 to 150 readings; the level is one of
 * eight, or the one before last, so equal segments meet and an A B A pattern is common), with blanks
 * alone or in stretches of up to five that do not end a segment.
 */
function meter(rand: () => number, base: number): () => number | null {
  const LENGTHS = [1, 1, 1, 1, 1, 2, 2, 3, 4, 5, 7, 8, 9, 10, 13, 25, 40, 150];
  const levels: number[] = [];
  let left = 0;
  let value = 0;
  let blanks = 0;
  return () => {
    if (blanks > 0) {
      blanks--;
      return null;
    }
    if (rand() < 0.04) {
      blanks = rand() < 0.5 ? 0 : Math.floor(rand() * 5);
      return null;
    }
    if (left === 0) {
      left = LENGTHS[Math.floor(rand() * LENGTHS.length)]!;
      value = rand() < 0.3 && levels.length >= 2 ? levels[levels.length - 2]! : base + 0.25 * Math.floor(rand() * 8);
      levels.push(value);
    }
    left--;
    return value;
  };
}

/** A CSV export: rows every `stepMs` over [from, to) for the series, with gaps of 1 step to 2 days (the meters do not move in a gap). */
function exportCsv(
  seed: number,
  series: number[],
  stepMs: number,
  from: number,
  to: number,
  hole?: (s: number, t: number) => boolean,
): string {
  const rand = mulberry32(seed);
  const lines = [
    "timestamp_utc,site_id,facility_id,cluster_id,zone_id,interval_seconds,it_load_kw,facility_power_kw,chiller_kw,fan_power_kw",
  ];
  const state = series.map((s) => ({
    s,
    gap: 0,
    meters: COLUMNS.map((_, c) => meter(rand, [300, 450, 40, 12][c]! + 10 * s)),
  }));
  for (let t = from; t < to; t += stepMs) {
    for (const st of state) {
      if (st.gap > 0) {
        st.gap--;
        continue;
      }
      if (rand() < 0.008) {
        st.gap = [1, 1, 2, 3, 8, 30, 100, Math.round((2 * DAY) / stepMs)][Math.floor(rand() * 8)]!;
        continue;
      }
      if (hole?.(st.s, t)) continue;
      const values: (number | null)[] = st.meters.map((m) => m());
      if (!values.some((v) => v !== null)) values[0] = 1; // a row with no value at all is not a reading
      const { site, facility, cluster, zone } = SERIES[st.s]!;
      lines.push(
        [
          iso(t),
          site,
          facility,
          cluster,
          zone,
          stepMs / 1000,
          ...values.map((v) => (v === null ? "" : String(v))),
        ].join(","),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

type Run = {
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  column: string;
  value: number;
  first_start: number;
  last_end: number;
};
type RawRow = {
  site_id: string;
  facility_id: string | null;
  cluster_id: string | null;
  zone_id: string | null;
  interval_start: Date;
  interval_end: Date;
} & Record<Column, number | null>;

const nullsFirst = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
const byReport = (a: Run, b: Run) =>
  a.first_start - b.first_start ||
  nullsFirst(a.site_id, b.site_id) ||
  nullsFirst(a.facility_id, b.facility_id) ||
  nullsFirst(a.cluster_id, b.cluster_id) ||
  nullsFirst(a.zone_id, b.zone_id) ||
  nullsFirst(a.column, b.column);

type Traits = { crossesHour: number; crossesDay: number; overGap: number; overBlank: number; lengths: Set<number> };

/** The oracle: per series and column, the readings in time order, cut where the value changes. */
function oracle(rows: RawRow[], columns: readonly string[], thresholdSeconds: number, traits?: Traits): Run[] {
  const bySeries = new Map<string, RawRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.site_id, r.facility_id, r.cluster_id, r.zone_id]);
    bySeries.set(key, [...(bySeries.get(key) ?? []), r]);
  }
  const runs: Run[] = [];
  for (const list of bySeries.values()) {
    list.sort((a, b) => a.interval_start.getTime() - b.interval_start.getTime());
    for (const column of columns) {
      const value = (r: RawRow) => r[column as Column];
      const readings = list.filter((r) => value(r) !== null);
      for (let i = 0; i < readings.length;) {
        let j = i;
        while (j + 1 < readings.length && value(readings[j + 1]!) === value(readings[i]!)) j++;
        const first = readings[i]!;
        const last = readings[j]!;
        if ((last.interval_start.getTime() - first.interval_start.getTime()) / 1000 > thresholdSeconds) {
          const run = readings.slice(i, j + 1);
          runs.push({
            site_id: first.site_id,
            facility_id: first.facility_id,
            cluster_id: first.cluster_id,
            zone_id: first.zone_id,
            column,
            value: value(first)!,
            first_start: first.interval_start.getTime(),
            last_end: Math.max(...run.map((r) => r.interval_end.getTime())),
          });
          if (traits) {
            const t0 = first.interval_start.getTime();
            const t1 = last.interval_start.getTime();
            if (Math.floor(t0 / HOUR) !== Math.floor(t1 / HOUR)) traits.crossesHour++;
            if (Math.floor(t0 / DAY) !== Math.floor(t1 / DAY)) traits.crossesDay++;
            if (run.some((r, k) => k > 0 && r.interval_start.getTime() > run[k - 1]!.interval_end.getTime()))
              traits.overGap++;
            if (
              list.some((r) => value(r) === null && r.interval_start.getTime() > t0 && r.interval_start.getTime() < t1)
            )
              traits.overBlank++;
            traits.lengths.add(run.length);
          }
        }
        i = j + 1;
      }
    }
  }
  return runs.sort(byReport);
}

describe("M&V stale runs: the pass over a study's inputs equals a plain walk over the rows", () => {
  const tenant = `mvstale-${randomBytes(3).toString("hex")}`;
  const versions: string[] = [];
  let raw: pg.Client;
  let mv: typeof import("@/lib/mv/queries/intervals");
  let Prisma: typeof import("@/lib/generated/prisma/client").Prisma;
  let db: typeof import("@/lib/db").db;

  async function upload(token: string, name: string, csv: string): Promise<string> {
    const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
      body: csv,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { version: { id: string } }).version.id;
  }

  beforeAll(async () => {
    const { token } = await userWithRole("analyst", [tenant]);
    // 15-minute export of four series over 15 days, with a hole in series 0.
    const hole = (s: number, t: number) => s === 0 && t >= HOLE_FROM && t < HOLE_TO;
    versions.push(await upload(token, "bms 15-minute", exportCsv(11, [0, 1, 2, 3], 15 * MIN, D0, D0 + 15 * DAY, hole)));
    // An hourly re-export of two of them over days 4–8, uploaded later: it wins those asset-hours.
    versions.push(await upload(token, "bms hourly", exportCsv(12, [0, 2], HOUR, D0 + 4 * DAY, D0 + 9 * DAY)));
    // A 5-minute meter of another site over 4 days.
    versions.push(await upload(token, "fast meter", exportCsv(13, [4], 5 * MIN, D0, D0 + 4 * DAY)));
    // MASS readings in the hole, hourly, the hole's last value repeated; hour 3 sent twice (the later counts).
    raw = new pg.Client({ connectionString: inject("databaseUrl") });
    await raw.connect();
    const before = await raw.query<{ facility_power_kw: number }>(
      `select facility_power_kw from observation where tenant_id = $1 and dataset_version_id = $2 and cluster_id = 'c1' and zone_id = 'z1' and interval_start < $3 and facility_power_kw is not null order by interval_start desc limit 1`,
      [tenant, versions[0], new Date(HOLE_FROM)],
    );
    const kw = before.rows[0]!.facility_power_kw;
    const s = SERIES[0]!;
    for (const [key, t, value] of [
      ["a", HOLE_FROM, kw],
      ["b", HOLE_FROM + HOUR, kw + 1],
      ["c", HOLE_FROM + 2 * HOUR, kw],
      ["d", HOLE_FROM + HOUR, kw],
      ["e", HOLE_FROM + 4 * HOUR, kw],
    ] as const) {
      const res = await call("/api/v1/mass", {
        token,
        headers: { "Idempotency-Key": `${tenant}-${key}` },
        body: {
          payload: {
            tenant_id: tenant,
            site_id: s.site,
            facility_id: s.facility,
            cluster_id: s.cluster,
            zone_id: s.zone,
            timestamp_utc: iso(t),
            interval_seconds: 3600,
            it_load_kw: 400,
            facility_power_kw: value,
          },
        },
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    process.env.DATABASE_URL = inject("databaseUrl");
    mv = await import("@/lib/mv/queries/intervals");
    ({ Prisma } = await import("@/lib/generated/prisma/client"));
    ({ db } = await import("@/lib/db"));
  }, 120_000);

  afterAll(async () => {
    await raw?.end();
    await db?.().$disconnect();
  });

  const spec = (scope: StudySpec["scope"], datasetVersionIds: string[], mass: boolean) =>
    ({ scope, source: { datasetVersionIds, massUntil: mass ? iso(Date.now() + DAY) : null } }) as unknown as StudySpec;
  const rowColumns =
    "o.site_id, o.facility_id, o.cluster_id, o.zone_id, o.interval_start, o.interval_end, o.it_load_kw, o.facility_power_kw, o.chiller_kw, o.fan_power_kw";
  const asRuns = (rows: StaleRunRow[]): Run[] =>
    rows.map((r) => ({
      site_id: r.site_id,
      facility_id: r.facility_id,
      cluster_id: r.cluster_id,
      zone_id: r.zone_id,
      column: r.column,
      value: r.value,
      first_start: r.first_start.getTime(),
      last_end: r.last_end.getTime(),
    }));

  async function compare(
    label: string,
    study: StudySpec,
    from: number,
    to: number,
    columns: readonly Column[],
    thresholds: number[],
    rawRows?: RawRow[],
  ) {
    const obs = mv.studyObservations(tenant, study, new Date(from), new Date(to));
    const rows = rawRows ?? (await db().$queryRaw<RawRow[]>`select ${Prisma.raw(rowColumns)} from (${obs}) o`);
    expect(rows.length, label).toBeGreaterThan(0);
    let total = 0;
    for (const threshold of thresholds) {
      const expected = oracle(rows, columns, threshold);
      const actual = asRuns(await mv.staleRuns(obs, [...columns], threshold));
      expect(actual, `${label}, ${columns.join("+")}, threshold ${threshold} s`).toEqual(expected);
      expect(
        asRuns(await previousStaleRuns(db, Prisma, obs, columns, threshold)),
        `${label}: the previous pass`,
      ).toEqual(expected);
      total += expected.length;
    }
    return total;
  }

  it("one dataset version: the raw rows read with plain SQL", async () => {
    const { rows } = await raw.query<RawRow>(
      `select ${rowColumns} from observation o where o.tenant_id = $1 and o.dataset_version_id = $2 and o.interval_start >= $3 and o.interval_start < $4`,
      [tenant, versions[0], new Date(D0 - DAY), new Date(D0 + 20 * DAY)],
    );
    expect(rows.length).toBeGreaterThan(3000);
    // The data holds what the pass must get right: runs of many lengths across hours, days, gaps and blanks.
    const traits: Traits = { crossesHour: 0, crossesDay: 0, overGap: 0, overBlank: 0, lengths: new Set() };
    const runs = oracle(rows, COLUMNS, 60, traits);
    expect(runs.length).toBeGreaterThan(500);
    expect(traits.crossesDay).toBeGreaterThan(50);
    expect(traits.crossesHour).toBeGreaterThan(300);
    expect(traits.overGap).toBeGreaterThan(100);
    expect(traits.overBlank).toBeGreaterThan(100);
    expect(traits.lengths.size).toBeGreaterThan(30);
    const study = spec({}, [versions[0]!], false);
    const found = await compare(
      "one version",
      study,
      D0 - DAY,
      D0 + 20 * DAY,
      COLUMNS,
      [60, 900, 2700, 3600, 7200, 86_400],
      rows,
    );
    expect(found).toBeGreaterThan(1500);
    await compare(
      "one version, facility and IT",
      study,
      D0 - DAY,
      D0 + 20 * DAY,
      ["facility_power_kw", "it_load_kw"],
      [60, 7200],
      rows,
    );
  });

  it("several versions and MASS readings, several scopes and periods", async () => {
    const all = spec({}, versions, true);
    expect(
      await compare("every source", all, D0 - DAY, D0 + 20 * DAY, COLUMNS, [60, 900, 7200, 3 * 86_400]),
    ).toBeGreaterThan(500);
    // The MASS readings are among the rows read (the correction, not the first reading of hour 3).
    const rows = await db().$queryRaw<
      RawRow[]
    >`select ${Prisma.raw(rowColumns)} from (${mv.studyObservations(tenant, all, new Date(D0), new Date(D0 + 20 * DAY))}) o where o.interval_start >= ${new Date(HOLE_FROM)} and o.interval_start < ${new Date(HOLE_TO)} and o.cluster_id = 'c1' and o.zone_id = 'z1'`;
    expect(rows.length).toBe(4);
    expect(new Set(rows.map((r) => r.facility_power_kw)).size).toBe(1);
    await compare(
      "two versions, site s1, cooling",
      spec({ siteId: "s1" }, versions.slice(0, 2), false),
      D0,
      D0 + 15 * DAY,
      ["chiller_kw", "fan_power_kw", "it_load_kw"],
      [60, 3600, 7200],
    );
    await compare(
      "a period cutting runs",
      spec({}, versions, true),
      D0 + 3.5 * DAY + 7 * MIN,
      D0 + 9 * DAY + 20 * MIN,
      COLUMNS,
      [60, 1800, 7200],
    );
    await compare(
      "cluster c1 with MASS",
      spec({ clusterId: "c1" }, [versions[0]!, versions[2]!], true),
      D0,
      D0 + 15 * DAY,
      ["facility_power_kw"],
      [600, 7200],
    );
    await compare(
      "MASS only",
      spec({ siteId: "s1" }, [], true),
      D0,
      D0 + 15 * DAY,
      ["facility_power_kw", "it_load_kw"],
      [60, 3600],
    );
  });
});
