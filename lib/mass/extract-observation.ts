// One observation row from a normalized request: the time-series view of its signals.
import type { JsonObject, MassWarning, ObservationFields } from "./types";
import { parseTimestamp, STORABLE_INSTANT_RULE, storableInstant } from "./values";

export type { ObservationFields };

type Signals = Omit<
  ObservationFields,
  "tenantId" | "siteId" | "facilityId" | "clusterId" | "zoneId" | "intervalStart" | "intervalEnd" | "currency"
>;

// snake_case wire name → observation field, for every signal the contract defines.
export const SIGNALS: [string, keyof Signals][] = [
  ["it_load_kw", "itLoadKw"],
  ["facility_power_kw", "facilityPowerKw"],
  ["ups_efficiency_pct", "upsEfficiencyPct"],
  ["pue_current", "pueReported"],
  ["carbon_intensity_gco2_per_kwh", "carbonIntensityGco2PerKwh"],
  ["energy_price_usd_per_kwh", "energyPricePerKwh"],
  ["avg_rack_inlet_c", "avgRackInletC"],
  ["p95_rack_inlet_c", "p95RackInletC"],
  ["hotspot_rack_count", "hotspotRackCount"],
  ["supply_temp_c", "supplyTempC"],
  ["return_temp_c", "returnTempC"],
  ["cooling_setpoint_c", "coolingSetpointC"],
  ["chiller_kw", "chillerKw"],
  ["fan_power_kw", "fanPowerKw"],
  ["cooling_valve_position_pct", "coolingValvePositionPct"],
  ["cpu_util_avg", "cpuUtilPct"],
  ["gpu_util_avg", "gpuUtilPct"],
  ["queue_depth", "queueDepth"],
  ["batch_pct", "batchPct"],
  ["latency_sensitive_pct", "latencySensitivePct"],
  ["tokens_per_watt_est", "tokensPerWattEst"],
];

/** Every signal found in `groups` (objects searched in order, nested one level for job_mix). */
function collectSignals(groups: unknown[]): Signals {
  const flat: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const group of groups) {
    if (!group || typeof group !== "object") continue;
    for (const [k, v] of Object.entries(group as Record<string, unknown>)) {
      if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(flat, v);
      else flat[k] ??= v;
    }
  }
  const out: Signals = {};
  for (const [wire, field] of SIGNALS) {
    const v = flat[wire];
    if (typeof v === "number" && Number.isFinite(v)) out[field] = v;
  }
  return out;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
// A Simple id: the normalizer turns "7" into the number 7, which names the same asset as the
// request's assets do (prepareMass reads ids the same way).
const idOf = (v: unknown): string | null => str(v) ?? (typeof v === "number" ? String(v) : null);

/** The largest value of a 32-bit integer column (PostgreSQL `integer`). */
export const INT4_MAX = 2_147_483_647;
const INT4_MIN = -2_147_483_648;
/**
 * The largest magnitude of a signal stored in a double column. A double holds up to 1.8e308, but
 * the rollups add readings up and multiply them by hours and prices: 1e12 (a terawatt, in kW) keeps
 * every sum finite, where values near the double's limit overflowed at insert (a 500).
 */
export const MEASURE_MAX = 1e12;
/** Signals stored in integer columns; every other signal is a double. */
const INTEGER_SIGNALS: ReadonlySet<keyof Signals> = new Set<keyof Signals>(["hotspotRackCount", "queueDepth"]);
/** The longest interval a MASS Simple reading may cover (a year and a day; its end must be a date). */
const MAX_INTERVAL_SECONDS = 366 * 86_400;

export type StorageProblem = { pointer: string; code: string; message: string };

/**
 * What a MASS Simple payload holds that its observation row could not store: a whole-number signal
 * that is fractional or outside a 32-bit integer, another signal beyond ±MEASURE_MAX, an interval
 * too long to end on a date, a reading outside the years 1–9999. Simple is
 * free JSON, but the signals it names go into typed columns, so validation must accept only what
 * storage holds (such a value answered 500 at insert). Pointers name the normalized keys.
 */
export function simpleStorageProblems(payload: JsonObject, observation: ObservationFields | null): StorageProblem[] {
  const problems: StorageProblem[] = [];
  const signals =
    payload.signals && typeof payload.signals === "object" && !Array.isArray(payload.signals)
      ? (payload.signals as Record<string, unknown>)
      : {};
  for (const [wire, field] of SIGNALS) {
    const where = Object.hasOwn(payload, wire)
      ? `/payload/${wire}`
      : Object.hasOwn(signals, wire)
        ? `/payload/signals/${wire}`
        : null;
    if (!where) continue;
    const v = Object.hasOwn(payload, wire) ? payload[wire] : signals[wire];
    if (typeof v !== "number") continue;
    if (!INTEGER_SIGNALS.has(field)) {
      if (Math.abs(v) > MEASURE_MAX)
        problems.push({
          pointer: where,
          code: "out_of_range",
          message: `must be between -${MEASURE_MAX} and ${MEASURE_MAX} (sums of readings must stay finite)`,
        });
      continue;
    }
    if (!Number.isInteger(v) || v < INT4_MIN || v > INT4_MAX)
      problems.push({
        pointer: where,
        code: "out_of_range",
        message: `must be a whole number between ${INT4_MIN} and ${INT4_MAX} (it is stored as a 32-bit integer)`,
      });
  }
  let tooLong = false;
  for (const key of ["interval_seconds", "granularity_seconds"]) {
    const v = payload[key];
    if (typeof v === "number" && v > MAX_INTERVAL_SECONDS) {
      tooLong = true;
      problems.push({
        pointer: `/payload/${key}`,
        code: "out_of_range",
        message: `must be at most ${MAX_INTERVAL_SECONDS} (a year and a day)`,
      });
    }
  }
  // The reading's interval (the payload's observation) must start and end on storable dates.
  if (
    !tooLong &&
    observation &&
    !(storableInstant(observation.intervalStart) && storableInstant(observation.intervalEnd))
  )
    problems.push({
      pointer: "/payload/timestamp_utc",
      code: "out_of_range",
      message: `the reading's interval ${STORABLE_INSTANT_RULE}`,
    });
  return problems;
}

export function observationFromEnterprise(normalized: JsonObject): ObservationFields {
  const r = normalized.request as Record<string, Record<string, unknown>>;
  const signals = (r.signals ?? {}) as Record<string, unknown>;
  return {
    tenantId: r.tenant_id as unknown as string,
    siteId: r.assets!.site_id as string,
    facilityId: str(r.assets!.facility_id),
    clusterId: str(r.assets!.cluster_id),
    zoneId: str(r.assets!.zone_id),
    intervalStart: new Date(r.time_window!.start_utc as string),
    intervalEnd: new Date(r.time_window!.end_utc as string),
    currency: r.data_contract!.currency as string,
    ...collectSignals([signals.energy, signals.thermal, signals.cooling, signals.workload]),
  };
}

/**
 * The start of a Simple reading: an ISO 8601 string (read as `Date` reads it, as always), or epoch
 * seconds or milliseconds as the contract allows for every timestamp (values above 10^11 are
 * milliseconds; the normalizer has already turned a numeric string into a number).
 */
function simpleStart(value: unknown): Date | null {
  if (typeof value === "string") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  if (typeof value === "number") return parseTimestamp(value) ?? null;
  return null;
}

/**
 * MASS Simple: an observation when the payload carries a site, a timestamp and at least one
 * signal, at top level or under `signals`. The interval runs from timestamp_utc for
 * interval_seconds (or granularity_seconds); without either it is an instant.
 */
export function observationFromSimple(payload: JsonObject, tenantId: string): ObservationFields | null {
  const site = idOf(payload.site_id);
  const start = simpleStart(payload.timestamp_utc);
  if (!site || !start) return null;
  const signals = collectSignals([payload, payload.signals]);
  if (Object.keys(signals).length === 0) return null;
  const seconds = [payload.interval_seconds, payload.granularity_seconds].find(
    (v) => typeof v === "number" && v > 0,
  ) as number | undefined;
  return {
    tenantId,
    siteId: site,
    facilityId: idOf(payload.facility_id),
    clusterId: idOf(payload.cluster_id),
    zoneId: idOf(payload.zone_id),
    intervalStart: start,
    intervalEnd: new Date(start.getTime() + (seconds ?? 0) * 1000),
    currency: typeof payload.currency === "string" ? payload.currency.toUpperCase() : undefined,
    ...signals,
  };
}

/**
 * Why a Simple payload that looks like a reading (a site and at least one signal) made none: the
 * request is still accepted and stored as sent, but the answer says so instead of staying silent.
 */
export function simpleObservationWarnings(payload: JsonObject, observation: ObservationFields | null): MassWarning[] {
  if (observation) return [];
  if (Object.keys(collectSignals([payload, payload.signals])).length === 0) return [];
  if (!idOf(payload.site_id))
    return [
      {
        pointer: "/payload/site_id",
        code: "no_reading",
        message: "no reading was stored: the payload has signals but no site_id",
      },
    ];
  return [
    {
      pointer: "/payload/timestamp_utc",
      code: "no_reading",
      message:
        payload.timestamp_utc === undefined
          ? "no reading was stored: the payload has signals but no timestamp_utc"
          : "no reading was stored: timestamp_utc must be ISO 8601 or epoch seconds/milliseconds",
    },
  ];
}
