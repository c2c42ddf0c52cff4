// The filtered observations themselves: a sortable, server-paginated page for the table, and the
// query whose rows PostgreSQL streams out as CSV for exports of any size.
import "server-only";
import { db } from "@/lib/db";
import { formulaSafeSql } from "@/lib/export/copy-csv";
import { Prisma } from "@/lib/generated/prisma/client";
import { periodPartsSql } from "./rollup-parts";
import { planRollups } from "./rollup-plan";
import { scopeSql, sourceBranchesPerVersion, type Period, type Scope } from "./scope";

export type ObservationColumn = { key: string; header: string; sql: string; kind: "time" | "text" | "number" };

export const OBSERVATION_COLUMNS: readonly ObservationColumn[] = [
  // Formatted by the database: no Date object per cell on the way out.
  {
    key: "interval_start",
    header: "interval_start_utc",
    sql: `to_char(o.interval_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    kind: "time",
  },
  {
    key: "interval_end",
    header: "interval_end_utc",
    sql: `to_char(o.interval_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    kind: "time",
  },
  { key: "tenant_id", header: "tenant_id", sql: "o.tenant_id", kind: "text" },
  { key: "site_id", header: "site_id", sql: "o.site_id", kind: "text" },
  { key: "facility_id", header: "facility_id", sql: "o.facility_id", kind: "text" },
  { key: "cluster_id", header: "cluster_id", sql: "o.cluster_id", kind: "text" },
  { key: "zone_id", header: "zone_id", sql: "o.zone_id", kind: "text" },
  {
    key: "source",
    header: "source",
    sql: "case when o.dataset_version_id is not null then 'csv:' || o.dataset_version_id::text else 'mass:' || o.mass_request_id::text end",
    kind: "text",
  },
  { key: "it_load_kw", header: "it_load_kw", sql: "o.it_load_kw", kind: "number" },
  { key: "facility_power_kw", header: "facility_power_kw", sql: "o.facility_power_kw", kind: "number" },
  {
    key: "pue",
    header: "pue",
    sql: "round((o.facility_power_kw / nullif(o.it_load_kw, 0))::numeric, 4)::float8",
    kind: "number",
  },
  { key: "chiller_kw", header: "chiller_kw", sql: "o.chiller_kw", kind: "number" },
  { key: "fan_power_kw", header: "fan_power_kw", sql: "o.fan_power_kw", kind: "number" },
  { key: "outdoor_temp_c", header: "outdoor_temp_c", sql: "o.outdoor_temp_c", kind: "number" },
  { key: "cooling_setpoint_c", header: "cooling_setpoint_c", sql: "o.cooling_setpoint_c", kind: "number" },
  { key: "avg_rack_inlet_c", header: "avg_rack_inlet_c", sql: "o.avg_rack_inlet_c", kind: "number" },
  { key: "p95_rack_inlet_c", header: "p95_rack_inlet_c", sql: "o.p95_rack_inlet_c", kind: "number" },
  { key: "hotspot_rack_count", header: "hotspot_rack_count", sql: "o.hotspot_rack_count", kind: "number" },
  { key: "energy_price_per_kwh", header: "energy_price_per_kwh", sql: "o.energy_price_per_kwh", kind: "number" },
  { key: "currency", header: "currency", sql: "o.currency", kind: "text" },
  {
    key: "carbon_intensity_gco2_per_kwh",
    header: "carbon_intensity_gco2_per_kwh",
    sql: "o.carbon_intensity_gco2_per_kwh",
    kind: "number",
  },
];
export const OBSERVATION_SORTS = OBSERVATION_COLUMNS.filter((c) => c.key !== "source").map((c) => c.key) as [
  string,
  ...string[],
];
export const DEFAULT_TABLE_COLUMNS = [
  "interval_start",
  "site_id",
  "cluster_id",
  "it_load_kw",
  "facility_power_kw",
  "pue",
  "p95_rack_inlet_c",
  "source",
];

const BY_KEY = new Map(OBSERVATION_COLUMNS.map((c) => [c.key, c]));
const SELECT = Prisma.raw(OBSERVATION_COLUMNS.map((c) => `${c.sql} as "${c.key}"`).join(", "));

export type ObservationRow = Record<string, string | number | Date | null>;

function where(scope: Scope, period: Period): Prisma.Sql {
  return Prisma.sql`o.interval_start >= ${period.from} and o.interval_start < ${period.to} and ${scopeSql(scope)}`;
}

/** How many observations the scope holds in the period (summed from the rollups, exact). */
export async function countObservations(scope: Scope, period: Period): Promise<number> {
  // Every stored row, overlapping sources included: the table pages through them all.
  const parts = periodPartsSql(scope, planRollups(period), Prisma.sql`null::timestamptz`, false);
  const [row] = await db().$queryRaw<{ n: number }[]>`select coalesce(sum(p.rows), 0)::float8 as n from (${parts}) p`;
  return row?.n ?? 0;
}

export async function pageObservations(
  scope: Scope,
  period: Period,
  opts: { sort: string; desc: boolean; page: number; limit: number },
): Promise<ObservationRow[]> {
  const column = BY_KEY.get(opts.sort) ?? BY_KEY.get("interval_start")!;
  // Time columns sort by the timestamp itself (an index can serve it), not by its text.
  const sortSql = column.kind === "time" ? `o.${column.key}` : column.sql;
  const order = Prisma.raw(`${sortSql} ${opts.desc ? "desc" : "asc"} nulls last, o.id ${opts.desc ? "desc" : "asc"}`);
  return db().$queryRaw<ObservationRow[]>`
    select ${SELECT} from observation o where ${where(scope, period)}
     order by ${order}
     limit ${opts.limit} offset ${(opts.page - 1) * opts.limit}`;
}

/** The two time columns lead; the CSV writer turns their epoch milliseconds into ISO 8601 text. */
export const CSV_LEADING_TIMES = OBSERVATION_COLUMNS.findIndex((c) => c.kind !== "time");
if (OBSERVATION_COLUMNS.slice(CSV_LEADING_TIMES).some((c) => c.kind === "time"))
  throw new Error("time columns must lead the observation columns");

function csvCell(c: ObservationColumn): string {
  if (c.kind === "time") return `(date_part('epoch', o.${c.key}) * 1000)::bigint`;
  return c.kind === "text" ? formulaSafeSql(c.sql) : c.sql;
}

/**
 * Every filtered observation in time order, each cell as the CSV shows it (formula-safe text).
 * Sources without rows in the period are left out, so the usual export (one dataset version) is
 * one ordered range of the (dataset_version_id, interval_start) index that streams without a sort.
 */
export async function observationsCsvQuery(scope: Scope, period: Period): Promise<Prisma.Sql> {
  const cells = Prisma.raw(OBSERVATION_COLUMNS.map(csvCell).join(", "));
  const inPeriod = (branch: Prisma.Sql) =>
    Prisma.sql`o.interval_start >= ${period.from} and o.interval_start < ${period.to} and ${scopeSql(scope, "o", branch)}`;
  const candidates = await sourceBranchesPerVersion(scope);
  const present = candidates.length
    ? Object.values(
        (
          await db().$queryRaw<Record<string, boolean>[]>`select ${Prisma.join(
            candidates.map(
              (b, i) => Prisma.sql`exists(select 1 from observation o where ${inPeriod(b)}) as ${Prisma.raw(`b${i}`)}`,
            ),
            ", ",
          )}`
        )[0]!,
      )
    : [];
  const branches = candidates.filter((_, i) => present[i]);
  if (branches.length === 0) return Prisma.sql`select ${cells} from observation o where false`;
  if (branches.length === 1)
    return Prisma.sql`select ${cells} from observation o where ${inPeriod(branches[0]!)} order by o.interval_start, o.id`;
  const union = Prisma.join(
    branches.map((b) => Prisma.sql`select o.* from observation o where ${inPeriod(b)}`),
    " union all ",
  );
  return Prisma.sql`select ${cells} from (${union}) o order by o.interval_start, o.id`;
}
