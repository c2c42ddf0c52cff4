// The CSV dataset schema: which columns exist, how a header names them, and how a cell becomes a
// stored value. Headers match tolerantly — case, spaces and punctuation, and a unit suffix such as
// `IT load (kW)` or `Outdoor temp [°F]` (converted to the stored unit).

export type IdColumn = "site_id" | "facility_id" | "cluster_id" | "zone_id";

export type SignalColumn = {
  /** The CSV (and contract) snake_case name. */
  name: string;
  /** The observation table's column. */
  db: string;
  unit: "kw" | "c" | "pct" | "count" | "per_kwh" | "gco2_per_kwh" | "ratio" | "tokens_per_w";
  min: number;
  max: number;
  int?: boolean;
};

// Ranges are the contract's (MASS v1.1 semantic layer); outdoor temperature is ours (CSV only).
export const SIGNALS: readonly SignalColumn[] = [
  { name: "it_load_kw", db: "it_load_kw", unit: "kw", min: 0, max: Infinity },
  { name: "facility_power_kw", db: "facility_power_kw", unit: "kw", min: 0, max: Infinity },
  { name: "ups_efficiency_pct", db: "ups_efficiency_pct", unit: "pct", min: 0, max: 100 },
  { name: "pue_current", db: "pue_reported", unit: "ratio", min: 1, max: Infinity },
  {
    name: "carbon_intensity_gco2_per_kwh",
    db: "carbon_intensity_gco2_per_kwh",
    unit: "gco2_per_kwh",
    min: 0,
    max: 2000,
  },
  { name: "energy_price_usd_per_kwh", db: "energy_price_per_kwh", unit: "per_kwh", min: 0, max: 10 },
  { name: "outdoor_temp_c", db: "outdoor_temp_c", unit: "c", min: -60, max: 60 },
  { name: "avg_rack_inlet_c", db: "avg_rack_inlet_c", unit: "c", min: -10, max: 60 },
  { name: "p95_rack_inlet_c", db: "p95_rack_inlet_c", unit: "c", min: -10, max: 60 },
  { name: "hotspot_rack_count", db: "hotspot_rack_count", unit: "count", min: 0, max: 2_147_483_647, int: true },
  { name: "supply_temp_c", db: "supply_temp_c", unit: "c", min: -10, max: 80 },
  { name: "return_temp_c", db: "return_temp_c", unit: "c", min: -10, max: 80 },
  { name: "cooling_setpoint_c", db: "cooling_setpoint_c", unit: "c", min: 5, max: 35 },
  { name: "chiller_kw", db: "chiller_kw", unit: "kw", min: 0, max: Infinity },
  { name: "fan_power_kw", db: "fan_power_kw", unit: "kw", min: 0, max: Infinity },
  { name: "cooling_valve_position_pct", db: "cooling_valve_position_pct", unit: "pct", min: 0, max: 100 },
  { name: "cpu_util_avg", db: "cpu_util_pct", unit: "pct", min: 0, max: 100 },
  { name: "gpu_util_avg", db: "gpu_util_pct", unit: "pct", min: 0, max: 100 },
  { name: "queue_depth", db: "queue_depth", unit: "count", min: 0, max: 2_147_483_647, int: true },
  { name: "batch_pct", db: "batch_pct", unit: "pct", min: 0, max: 100 },
  { name: "latency_sensitive_pct", db: "latency_sensitive_pct", unit: "pct", min: 0, max: 100 },
  { name: "tokens_per_watt_est", db: "tokens_per_watt_est", unit: "tokens_per_w", min: 0, max: Infinity },
];

export type ColumnRole =
  | { kind: "timestamp" }
  | { kind: "id"; name: IdColumn }
  | { kind: "interval" }
  | { kind: "signal"; signal: SignalColumn; convert: (v: number) => number; unitNote: string | null };

/** Lowercase words joined by `_`: "IT Load" → "it_load", "clusterId" → "cluster_id". */
export function slug(text: string): string {
  const normalized = text.normalize("NFKC");
  // camelCase is split only in a single word: "USD per kWh" keeps its "kWh".
  return (/[\s_]/.test(normalized.trim()) ? normalized : normalized.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

const ALIASES: Record<string, string> = {
  timestamp: "timestamp_utc",
  time: "timestamp_utc",
  datetime: "timestamp_utc",
  time_utc: "timestamp_utc",
  ts: "timestamp_utc",
  site: "site_id",
  facility: "facility_id",
  cluster: "cluster_id",
  zone: "zone_id",
  interval: "interval_seconds",
  interval_s: "interval_seconds",
  pue: "pue_current",
  cpu_util_pct: "cpu_util_avg",
  gpu_util_pct: "gpu_util_avg",
  energy_price_per_kwh: "energy_price_usd_per_kwh",
  price_usd_per_kwh: "energy_price_usd_per_kwh",
  carbon_intensity: "carbon_intensity_gco2_per_kwh",
};

// A unit written in a header suffix → the stored unit it converts to.
const UNIT_CONVERSIONS: Record<
  string,
  { unit: SignalColumn["unit"]; convert: (v: number) => number; note: string | null }
> = {
  kw: { unit: "kw", convert: (v) => v, note: null },
  w: { unit: "kw", convert: (v) => v / 1000, note: "W → kW" },
  mw: { unit: "kw", convert: (v) => v * 1000, note: "MW → kW" },
  c: { unit: "c", convert: (v) => v, note: null },
  degc: { unit: "c", convert: (v) => v, note: null },
  f: { unit: "c", convert: (v) => ((v - 32) * 5) / 9, note: "°F → °C" },
  degf: { unit: "c", convert: (v) => ((v - 32) * 5) / 9, note: "°F → °C" },
  pct: { unit: "pct", convert: (v) => v, note: null },
  percent: { unit: "pct", convert: (v) => v, note: null },
  "": { unit: "pct", convert: (v) => v, note: null },
};

const BY_NAME = new Map(SIGNALS.map((s) => [s.name, s]));

/** A table lookup that never finds Object.prototype's members ("constructor", "__proto__"). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
const UNIT_SUFFIX = /^(.*?)[\s_]*[([]\s*([^)\]]*)\s*[)\]]\s*$/;

/** A unit as written ("°F", "MW", "%") → its key in the conversion table ("f", "mw", "pct"). */
export function unitKey(unit: string): string {
  return unit
    .replace(/°/g, "deg")
    .replace(/%/g, "pct")
    .toLowerCase()
    .replace(/[^a-z]/g, "")
    .replace(/^deg(c|f)$/, "$1");
}

/** The unit keys a signal's values may be written in (converted to its stored unit). */
export function unitTargets(signal: SignalColumn): string[] {
  return Object.keys(UNIT_CONVERSIONS).filter((k) => k !== "" && UNIT_CONVERSIONS[k]!.unit === signal.unit);
}

/** What a header names, or null when it names nothing we store. */
export function matchHeader(header: string): ColumnRole | null {
  const suffix = UNIT_SUFFIX.exec(header.trim());
  const base = slug(suffix ? suffix[1]! : header);
  const unit = suffix ? unitKey(suffix[2]!) : null;
  const name = own(ALIASES, base) ?? base;
  if (name === "timestamp_utc") return { kind: "timestamp" };
  if (name === "site_id" || name === "facility_id" || name === "cluster_id" || name === "zone_id")
    return { kind: "id", name };
  if (name === "interval_seconds") return { kind: "interval" };
  const direct = BY_NAME.get(name);
  if (direct && (unit === null || unit === direct.unit))
    return { kind: "signal", signal: direct, convert: (v) => v, unitNote: null };
  if (unit === null) return null;
  // "IT load (kW)" → it_load + kw; "Outdoor temp (°F)" → outdoor_temp + c, converted.
  const conversion = own(UNIT_CONVERSIONS, unit);
  if (!conversion) return null;
  const candidate = `${name}_${conversion.unit}`;
  const signal = direct ?? BY_NAME.get(own(ALIASES, candidate) ?? candidate);
  if (signal && signal.unit === conversion.unit)
    return { kind: "signal", signal, convert: conversion.convert, unitNote: conversion.note };
  return null;
}

export type HeaderMapping = {
  roles: (ColumnRole | null)[];
  /** Stored names of the signal columns present, in header order. */
  signals: SignalColumn[];
  /** Per header: why it is ignored when the mapping says so (else null). */
  ignoredByMapping: boolean[];
  warnings: { column: string; message: string }[];
  errors: { column: string; message: string }[];
};

/** A mapping entry's target, as a role (the entry was checked by the options' schema). */
export function roleOf(target: string, unit: string | undefined): ColumnRole | null {
  const name = target === "timestamp_utc" ? "timestamp" : target;
  if (name === "timestamp") return { kind: "timestamp" };
  if (name === "site_id" || name === "facility_id" || name === "cluster_id" || name === "zone_id")
    return { kind: "id", name };
  if (name === "interval_seconds") return { kind: "interval" };
  const signal = BY_NAME.get(name);
  if (!signal) return null;
  if (unit === undefined) return { kind: "signal", signal, convert: (v) => v, unitNote: null };
  const conversion = own(UNIT_CONVERSIONS, unitKey(unit));
  if (!conversion || conversion.unit !== signal.unit) return null;
  return { kind: "signal", signal, convert: conversion.convert, unitNote: conversion.note };
}

/** A header mapping entry: which source header goes where ({ ignore: true }: not stored). */
export type MappingTarget = { signal: string; unit?: string } | { ignore: true };

/**
 * Maps a header row; names what is missing, duplicated or unknown. Headers the mapping names take
 * its target (or are ignored, said so); the others are matched by name. A mapping entry for a
 * header the file lacks is an error when the mapping was given for this file (`strictMapping`),
 * a warning when it was reused from the dataset's last version.
 */
export function mapHeader(
  headers: readonly string[],
  mapping: Readonly<Record<string, MappingTarget>> | null = null,
  strictMapping = true,
): HeaderMapping {
  const ignoredByMapping = headers.map(() => false);
  const warnings: HeaderMapping["warnings"] = [];
  const errors: HeaderMapping["errors"] = [];
  const roles = headers.map((header, i) => {
    const entry = mapping ? own(mapping, header.trim()) : undefined;
    if (!entry) return matchHeader(header);
    if ("ignore" in entry) {
      ignoredByMapping[i] = true;
      return null;
    }
    const role = roleOf(entry.signal, entry.unit);
    if (!role)
      errors.push({
        column: header,
        message: `cannot be mapped to ${entry.signal}${entry.unit ? ` in ${entry.unit}` : ""}`,
      });
    return role;
  });
  if (mapping) {
    const present = new Set(headers.map((h) => h.trim()));
    for (const key of Object.keys(mapping))
      if (!present.has(key))
        (strictMapping ? errors : warnings).push({
          column: key,
          message: strictMapping
            ? "is in the mapping but not in the file's header"
            : "is in the dataset's saved mapping but not in this file",
        });
  }
  const seen = new Map<string, string>();
  roles.forEach((role, i) => {
    const header = headers[i]!;
    if (!role) {
      if (ignoredByMapping[i]) warnings.push({ column: header, message: "ignored (the mapping says so)" });
      else if (header.trim() !== "") warnings.push({ column: header, message: "unknown column, ignored" });
      return;
    }
    const key = role.kind === "signal" ? role.signal.name : role.kind === "id" ? role.name : role.kind;
    const earlier = seen.get(key);
    if (earlier !== undefined) errors.push({ column: header, message: `names the same column as "${earlier}"` });
    else seen.set(key, header);
    if (role.kind === "signal" && role.unitNote)
      warnings.push({ column: header, message: `converted ${role.unitNote}` });
  });
  if (!seen.has("timestamp")) errors.push({ column: "timestamp_utc", message: "required column missing" });
  if (!seen.has("site_id")) errors.push({ column: "site_id", message: "required column missing" });
  const signals = roles.flatMap((r) => (r?.kind === "signal" ? [r.signal] : []));
  if (signals.length === 0 && errors.length === 0)
    errors.push({ column: "", message: "no signal column (e.g. it_load_kw, facility_power_kw)" });
  return { roles, signals, ignoredByMapping, warnings, errors };
}

/** The stored column a role names (the API's `column` of a header). */
export function roleColumn(role: ColumnRole | null): string | null {
  if (!role) return null;
  if (role.kind === "signal") return role.signal.name;
  if (role.kind === "id") return role.name;
  return role.kind === "timestamp" ? "timestamp_utc" : "interval_seconds";
}

/**
 * The suggested mapping of a header, from its name (matchHeader): where it goes and in which unit,
 * or `{ ignore: true }` with `recognised: false` for a header nothing matches.
 */
export function suggestMapping(header: string): { entry: MappingTarget; recognised: boolean } {
  const role = matchHeader(header);
  if (!role) return { entry: { ignore: true }, recognised: false };
  if (role.kind !== "signal")
    return {
      entry: {
        signal:
          role.kind === "id" ? role.name : roleColumn(role)! === "timestamp_utc" ? "timestamp" : "interval_seconds",
      },
      recognised: true,
    };
  const suffix = UNIT_SUFFIX.exec(header.trim());
  const unit = role.unitNote && suffix ? suffix[2]!.trim() : undefined;
  return { entry: unit ? { signal: role.signal.name, unit } : { signal: role.signal.name }, recognised: true };
}
