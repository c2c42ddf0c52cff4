// The observation columns the table shows, sorts by and exports: each one's key, its CSV header,
// the SQL expression that reads it from an observation `o`, and its kind.
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

/** The two time columns lead; the CSV writer turns their epoch milliseconds into ISO 8601 text. */
export const CSV_LEADING_TIMES = OBSERVATION_COLUMNS.findIndex((c) => c.kind !== "time");
if (OBSERVATION_COLUMNS.slice(CSV_LEADING_TIMES).some((c) => c.kind === "time"))
  throw new Error("time columns must lead the observation columns");
