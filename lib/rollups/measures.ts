// What the rollups hold, defined once: each measure's aggregate over raw observations (`o`, with
// `o.h` the interval's length in hours) and how partial results combine. The same definitions
// build the rollup rows (dataset load, MASS ingest and delete) and aggregate the raw edges of a
// period when the dashboard reads, so a period read from rollups plus raw edges gives what its raw
// rows alone would (up to floating-point summation order). The migration that created the tables
// backfills them with a copy of this SQL; tests/integration/rollups.test.ts holds the two together.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Merge = "sum" | "min" | "max";
export type Measure = { column: string; raw: string; merge: Merge; type: "float8" | "int" | "text" };

/** The series a rollup row belongs to (dataset_version_id is null for live MASS observations). */
export const SERIES_KEYS = [
  "tenant_id",
  "site_id",
  "facility_id",
  "cluster_id",
  "zone_id",
  "dataset_version_id",
] as const;

/**
 * The live MASS observations on `alias`: not tombstoned, and not superseded. Two MASS requests may
 * carry a reading for the same series (tenant, site, facility, cluster, zone) and interval_start (a
 * collector resending a corrected value); the latest received — the highest observation id —
 * counts, the others never do. That is decided when writing (lib/rollups/repo/refresh-mass.ts): storing
 * a reading sets superseded_at on the older live one, and tombstoning the newer request clears it
 * again on the latest remaining live reading. So a plain condition on the row, served by the
 * partial index observation_live_mass_idx (tenant_id, site_id, interval_start) that holds exactly
 * these rows; every query over raw live MASS rows uses it (the rollups' maintenance and the
 * dashboard's raw reads alike), which keeps one row per series and timestamp for each source.
 */
export function liveMassSql(alias: string): string {
  return `${alias}.dataset_version_id is null and ${alias}.mass_request_id is not null and ${alias}.deleted_at is null and ${alias}.superseded_at is null`;
}

/**
 * The ids of the current version of every dataset (its highest ready version): the dataset rows
 * every reader counts unless a version is chosen. One definition for the dashboard, M&V and the
 * snapshots BioCore is asked about.
 */
export const LATEST_READY_VERSION_IDS_SQL =
  "array(select distinct on (dataset_id) id from dataset_version where state = 'ready' order by dataset_id, version desc)";

/**
 * A source's precedence, for dataset version `v` (a dataset_version row): by when it was loaded (the
 * latest upload wins; its id breaks a tie), compared as text; live MASS readings rank '0' below every
 * version (coalesce the result with '0'). See README "One value per series and interval".
 */
export function versionRankSql(v: string): string {
  return `to_char(${v}.created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || ${v}.id::text`;
}

/** Every source holds one row per series and timestamp (a dataset version: the loader drops repeats;
 *  live MASS readings: the latest received wins, liveMassSql), so the rows with a length are the
 *  present intervals. */
export const MEASURES: readonly Measure[] = [
  { column: "rows", raw: "count(*)", merge: "sum", type: "int" },
  { column: "facility_kwh", raw: "sum(o.facility_power_kw * o.h)", merge: "sum", type: "float8" },
  { column: "it_kwh", raw: "sum(o.it_load_kw * o.h)", merge: "sum", type: "float8" },
  // PUE pairs facility and IT energy over the intervals that have both (ISO/IEC 30134-2).
  {
    column: "pue_facility_kwh",
    raw: "sum(o.facility_power_kw * o.h) filter (where o.it_load_kw is not null)",
    merge: "sum",
    type: "float8",
  },
  {
    column: "pue_it_kwh",
    raw: "sum(o.it_load_kw * o.h) filter (where o.facility_power_kw is not null)",
    merge: "sum",
    type: "float8",
  },
  {
    column: "cooling_kwh",
    raw: "sum((coalesce(o.chiller_kw, 0) + coalesce(o.fan_power_kw, 0)) * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null)",
    merge: "sum",
    type: "float8",
  },
  {
    column: "cooling_facility_kwh",
    raw: "sum(o.facility_power_kw * o.h) filter (where o.chiller_kw is not null or o.fan_power_kw is not null)",
    merge: "sum",
    type: "float8",
  },
  { column: "cost", raw: "sum(o.facility_power_kw * o.h * o.energy_price_per_kwh)", merge: "sum", type: "float8" },
  { column: "currency_min", raw: "min(o.currency)", merge: "min", type: "text" },
  { column: "currency_max", raw: "max(o.currency)", merge: "max", type: "text" },
  {
    column: "co2e_g",
    raw: "sum(o.facility_power_kw * o.h * o.carbon_intensity_gco2_per_kwh)",
    merge: "sum",
    type: "float8",
  },
  {
    column: "carbon_facility_kwh",
    raw: "sum(o.facility_power_kw * o.h) filter (where o.carbon_intensity_gco2_per_kwh is not null)",
    merge: "sum",
    type: "float8",
  },
  { column: "inlet_c_hours", raw: "sum(o.avg_rack_inlet_c * o.h)", merge: "sum", type: "float8" },
  {
    column: "inlet_hours",
    raw: "sum(o.h) filter (where o.avg_rack_inlet_c is not null)",
    merge: "sum",
    type: "float8",
  },
  { column: "hotspot_readings", raw: "count(o.hotspot_rack_count)", merge: "sum", type: "int" },
  { column: "hotspot_hours", raw: "sum(o.h) filter (where o.hotspot_rack_count > 0)", merge: "sum", type: "float8" },
  { column: "p95_inlet_sum_c", raw: "sum(o.p95_rack_inlet_c)", merge: "sum", type: "float8" },
  { column: "p95_inlet_count", raw: "count(o.p95_rack_inlet_c)", merge: "sum", type: "int" },
  { column: "p95_inlet_max_c", raw: "max(o.p95_rack_inlet_c)", merge: "max", type: "float8" },
  { column: "present_intervals", raw: "count(*) filter (where o.h > 0)", merge: "sum", type: "int" },
  { column: "step_hours", raw: "min(o.h) filter (where o.h > 0)", merge: "min", type: "float8" },
  { column: "setpoint_min_c", raw: "min(o.cooling_setpoint_c)", merge: "min", type: "float8" },
  { column: "setpoint_max_c", raw: "max(o.cooling_setpoint_c)", merge: "max", type: "float8" },
];

export const MEASURE_COLUMNS = MEASURES.map((m) => m.column);

/** Observations with `h`, their interval's length in hours, filtered by `where` (on `o`). */
export function withHours(where: string): string {
  return `(select o.*, date_part('epoch', o.interval_end - o.interval_start) / 3600 as h from observation o where ${where}) o`;
}

/** A p95 rack-inlet reading's 0.25 °C bin. × 4 is exact in binary floating point, so a reading is
 *  in bin b exactly when b/4 ≤ value < (b+1)/4; the clamp keeps odd values (±Infinity, NaN) sortable. */
export function p95Bin(value: string): string {
  return `least(greatest(floor(${value} * 4), -1000000), 1000000)::int`;
}

export type Level = "hour" | "day";
export const LEVEL_TABLE: Record<Level, string> = { hour: "observation_rollup_hour", day: "observation_rollup_day" };

/** The UTC hour or day an instant belongs to (date_bin: independent of the session's time zone). */
export function levelBucket(level: Level, instant: string): string {
  return `date_bin('1 ${level}'::interval, ${instant}, timestamptz '2000-01-01 00:00:00+00')`;
}

/** Column lists of the rollup tables, in the order the loader's COPY writes them. */
export const HOUR_COPY_COLUMNS = [...SERIES_KEYS, "bucket", ...MEASURE_COLUMNS];
export const DAY_COPY_COLUMNS = [...HOUR_COPY_COLUMNS, "p95_inlet_sorted", "p95_inlet_bins", "p95_inlet_bin_counts"];

const KEYS = (alias: string) => SERIES_KEYS.map((k) => `${alias}.${k}`).join(", ");
const COLUMNS = HOUR_COPY_COLUMNS;

/** How a measure's partial results combine, as SQL over `column` of the rows `alias`. */
export function mergeSql(m: Measure, alias: string): string {
  return `${m.merge}(${alias}.${m.column})`;
}

/** INSERT … SELECT of hour rollup rows for the raw observations matching `rawWhere` (on `o`). */
export function insertHourSql(rawWhere: string): string {
  const aggregates = MEASURES.map((m) => `${m.raw} as ${m.column}`).join(",\n           ");
  return `
    insert into ${LEVEL_TABLE.hour} (${COLUMNS.join(", ")})
    select ${KEYS("o")}, ${levelBucket("hour", "o.interval_start")} as bucket,
           ${aggregates}
      from ${withHours(rawWhere)}
     group by ${KEYS("o")}, 7`;
}

/**
 * INSERT … SELECT of day rollup rows: the measures merged from the day's hour rollup rows
 * (`hourWhere`, on `r`), and the day's p95 readings from its raw observations (`rawWhere`, on
 * `o`) — collected unsorted so the grouping can hash, then sorted and counted per bin per day.
 */
export function insertDaySql(hourWhere: string, rawWhere: string): string {
  const list = MEASURES;
  const same = SERIES_KEYS.map((k) =>
    k === "tenant_id" || k === "site_id" ? `p.${k} = m.${k}` : `p.${k} is not distinct from m.${k}`,
  ).join(" and ");
  return `
    insert into ${LEVEL_TABLE.day} (${COLUMNS.join(", ")}, p95_inlet_sorted, p95_inlet_bins, p95_inlet_bin_counts)
    select ${COLUMNS.map((c) => `m.${c}`).join(", ")}, s.sorted, b.bins, b.counts
      from (select ${KEYS("r")}, ${levelBucket("day", "r.bucket")} as bucket, ${list.map((m) => `${mergeSql(m, "r")} as ${m.column}`).join(", ")}
              from ${LEVEL_TABLE.hour} r
             where ${hourWhere}
             group by ${KEYS("r")}, 7) m
      left join (select ${KEYS("o")}, ${levelBucket("day", "o.interval_start")} as bucket, array_agg(o.p95_rack_inlet_c) as p95s
                   from observation o
                  where (${rawWhere}) and o.p95_rack_inlet_c is not null
                  group by ${KEYS("o")}, 7) p on p.bucket = m.bucket and ${same}
      left join lateral (select array_agg(v order by v) as sorted from unnest(p.p95s) v) s on true
      left join lateral (
        select array_agg(bin order by bin) as bins, array_agg(n order by bin) as counts
          from (select ${p95Bin("v")} as bin, count(*)::int as n from unnest(p.p95s) v group by 1) x) b on true`;
}
