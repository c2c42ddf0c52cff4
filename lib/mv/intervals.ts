// The unit an M&V model works on: one hour or one day of a study's scope, with the energy of its
// measurement boundary, the independent variables and what prices and carbon intensities applied.
export type Granularity = "hourly" | "daily";

export type Interval = {
  /** Start of the hour or day, epoch milliseconds (UTC). */
  startMs: number;
  /** Energy of the measurement boundary (facility, or chiller + fans), kWh. */
  energyKwh: number;
  itKwh: number | null;
  facilityKwh: number | null;
  /** Mean outdoor temperature of each hour in the interval (one for hourly data), °C. */
  hourlyTempsC: number[];
  /** Daily intervals: the IT energy of each of the day's hours (for the IT × lift term of dc_lift), kWh. */
  hourlyItKwh?: number[];
  /** Energy-weighted price and carbon intensity recorded with the data, when present. */
  pricePerKwh: number | null;
  carbonGPerKwh: number | null;
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function intervalMs(granularity: Granularity): number {
  return granularity === "hourly" ? HOUR_MS : DAY_MS;
}

/** Mean outdoor temperature over the interval, or null when no hour has one. */
export function meanTempC(interval: Interval): number | null {
  const t = interval.hourlyTempsC;
  if (t.length === 0) return null;
  let s = 0;
  for (const v of t) s += v;
  return s / t.length;
}

/**
 * Cooling degree-hours (hourly) or degree-days (daily) above the balance point, from each hour's
 * mean temperature: Σ max(0, Tₕ − T_bp) · 1 h, divided by 24 for days (CalTRACK 2.0 §3.3.4 uses
 * daily means; hourly means keep the afternoon peaks a daily mean would flatten).
 */
export function coolingDegrees(interval: Interval, balancePointC: number, granularity: Granularity): number {
  let s = 0;
  for (const t of interval.hourlyTempsC) if (t > balancePointC) s += t - balancePointC;
  return granularity === "daily" ? s / 24 : s;
}
