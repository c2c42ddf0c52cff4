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
  /** Days: the complete hours the day was built from (its energies are scaled to 24 h from them). */
  hoursPresent?: number;
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
 * Cooling degree-hours (hourly) or degree-days (daily) above the balance point. Hourly data:
 * max(0, T − T_bp) either way. Daily data, by the study's `degreeDays` convention:
 *  - "daily_mean": max(0, T̄ − T_bp) with T̄ the mean of the day's hourly means (CalTRACK 2.0 §3.3.4);
 *  - "hourly" (the default here, and what reports used before the convention existed):
 *    Σₕ max(0, Tₕ − T_bp) / 24, which keeps the afternoon peaks a daily mean would flatten.
 */
export function coolingDegrees(
  interval: Interval,
  balancePointC: number,
  granularity: Granularity,
  degreeDays: "daily_mean" | "hourly" = "hourly",
): number {
  if (granularity === "daily" && degreeDays === "daily_mean") {
    const t = meanTempC(interval);
    return t !== null && t > balancePointC ? t - balancePointC : 0;
  }
  let s = 0;
  for (const t of interval.hourlyTempsC) if (t > balancePointC) s += t - balancePointC;
  // A day built from fewer than 24 hours: the mean exceedance of the hours present, per day.
  return granularity === "daily" ? s / (interval.hourlyTempsC.length || 24) : s;
}
