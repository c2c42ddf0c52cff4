// The rollups of a CSV version computed while its rows stream through the loader: aggregating
// ten million rows again in SQL costs minutes (two dozen aggregates per row); here it is a few
// additions per row. Each series' rows arrive in time order in practice, so only its current hour
// and day are open; a row that goes back in time ends this (`ordered` becomes false) and the
// loader rebuilds the version's rollups in SQL instead. The arithmetic mirrors the SQL of
// measures.ts operation for operation (tests/integration/rollups.test.ts compares the two).
import { DAY_MS, HOUR_MS, MEASURE_COLUMNS } from "./measures";

export type RollupInputRow = {
  ids: { site_id: string | null; facility_id: string | null; cluster_id: string | null; zone_id: string | null };
  ts: number;
  intervalSeconds: number;
  /** Aligned with the `columns` given to the accumulator (observation column names). */
  values: (number | null)[];
};

type Sums = {
  rows: number;
  facility_kwh: number | null;
  it_kwh: number | null;
  pue_facility_kwh: number | null;
  pue_it_kwh: number | null;
  cooling_kwh: number | null;
  cooling_facility_kwh: number | null;
  cost: number | null;
  currency_min: string | null;
  currency_max: string | null;
  co2e_g: number | null;
  carbon_facility_kwh: number | null;
  inlet_c_hours: number | null;
  inlet_hours: number | null;
  hotspot_readings: number;
  hotspot_hours: number | null;
  p95_inlet_sum_c: number | null;
  p95_inlet_count: number;
  p95_inlet_max_c: number | null;
  present_intervals: number;
  step_hours: number | null;
  setpoint_min_c: number | null;
  setpoint_max_c: number | null;
};

type Open = { bucket: number; sums: Sums };
type Series = { key: string; hour: Open | null; day: (Open & { p95: number[] }) | null };

const add = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : a + b);
const min = <T extends number | string>(a: T | null, b: T | null) => (b === null ? a : a === null || b < a ? b : a);
const max = <T extends number | string>(a: T | null, b: T | null) => (b === null ? a : a === null || b > a ? b : a);

function empty(): Sums {
  return {
    rows: 0,
    facility_kwh: null,
    it_kwh: null,
    pue_facility_kwh: null,
    pue_it_kwh: null,
    cooling_kwh: null,
    cooling_facility_kwh: null,
    cost: null,
    currency_min: null,
    currency_max: null,
    co2e_g: null,
    carbon_facility_kwh: null,
    inlet_c_hours: null,
    inlet_hours: null,
    hotspot_readings: 0,
    hotspot_hours: null,
    p95_inlet_sum_c: null,
    p95_inlet_count: 0,
    p95_inlet_max_c: null,
    present_intervals: 0,
    step_hours: null,
    setpoint_min_c: null,
    setpoint_max_c: null,
  };
}

/** `into` += `from`, as the SQL merges (sum, min, max) of measures.ts. */
function merge(into: Sums, from: Sums): void {
  into.rows += from.rows;
  into.facility_kwh = add(into.facility_kwh, from.facility_kwh);
  into.it_kwh = add(into.it_kwh, from.it_kwh);
  into.pue_facility_kwh = add(into.pue_facility_kwh, from.pue_facility_kwh);
  into.pue_it_kwh = add(into.pue_it_kwh, from.pue_it_kwh);
  into.cooling_kwh = add(into.cooling_kwh, from.cooling_kwh);
  into.cooling_facility_kwh = add(into.cooling_facility_kwh, from.cooling_facility_kwh);
  into.cost = add(into.cost, from.cost);
  into.currency_min = min(into.currency_min, from.currency_min);
  into.currency_max = max(into.currency_max, from.currency_max);
  into.co2e_g = add(into.co2e_g, from.co2e_g);
  into.carbon_facility_kwh = add(into.carbon_facility_kwh, from.carbon_facility_kwh);
  into.inlet_c_hours = add(into.inlet_c_hours, from.inlet_c_hours);
  into.inlet_hours = add(into.inlet_hours, from.inlet_hours);
  into.hotspot_readings += from.hotspot_readings;
  into.hotspot_hours = add(into.hotspot_hours, from.hotspot_hours);
  into.p95_inlet_sum_c = add(into.p95_inlet_sum_c, from.p95_inlet_sum_c);
  into.p95_inlet_count += from.p95_inlet_count;
  into.p95_inlet_max_c = max(into.p95_inlet_max_c, from.p95_inlet_max_c);
  into.present_intervals += from.present_intervals;
  into.step_hours = min(into.step_hours, from.step_hours);
  into.setpoint_min_c = min(into.setpoint_min_c, from.setpoint_min_c);
  into.setpoint_max_c = max(into.setpoint_max_c, from.setpoint_max_c);
}

/** COPY text: \N for null; ids never hold tabs or line breaks (checked printable), but escape anyway. */
function text(v: string | number | null): string {
  if (v === null) return "\\N";
  if (typeof v === "number") return String(v);
  return v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** A 0.25 °C bin as in measures.ts p95Bin (× 4 is exact; clamped). */
export function p95BinOf(v: number): number {
  const b = Math.floor(v * 4);
  return Number.isNaN(b) ? 1_000_000 : Math.min(Math.max(b, -1_000_000), 1_000_000);
}

export class RollupAccumulator {
  /** False once a series went back in time: the rollups emitted so far must be rebuilt in SQL. */
  ordered = true;
  private readonly series = new Map<string, Series>();
  private readonly at: Record<string, number>;

  constructor(
    columns: readonly string[],
    private readonly fixed: { tenantId: string; versionId: string; currency: string | null },
    private readonly emit: { hour: (line: string) => void; day: (line: string) => void },
  ) {
    this.at = Object.fromEntries(columns.map((c, i) => [c, i]));
  }

  add(row: RollupInputRow): void {
    if (!this.ordered) return;
    const key = `${row.ids.site_id}\u0000${row.ids.facility_id ?? ""}\u0000${row.ids.cluster_id ?? ""}\u0000${row.ids.zone_id ?? ""}`;
    let s = this.series.get(key);
    if (!s) {
      s = { key: this.keyText(row.ids), hour: null, day: null };
      this.series.set(key, s);
    }
    const hour = Math.floor(row.ts / HOUR_MS) * HOUR_MS;
    if (s.hour && hour !== s.hour.bucket) {
      if (hour < s.hour.bucket) {
        this.ordered = false;
        return;
      }
      this.closeHour(s, hour);
    }
    s.hour ??= { bucket: hour, sums: empty() };
    this.addRow(s.hour.sums, row, s);
  }

  /** Emits every open hour and day (at the end of the file). */
  finish(): void {
    if (!this.ordered) return;
    for (const s of this.series.values()) if (s.hour) this.closeHour(s, Infinity);
  }

  private keyText(ids: RollupInputRow["ids"]): string {
    return [this.fixed.tenantId, ids.site_id, ids.facility_id, ids.cluster_id, ids.zone_id, this.fixed.versionId]
      .map(text)
      .join("\t");
  }

  /** Ends the series' open hour, moving it into its day (and ending that day when `next` is in a later one). */
  private closeHour(s: Series, next: number): void {
    const hour = s.hour!;
    this.emit.hour(`${s.key}\t${new Date(hour.bucket).toISOString()}\t${this.measureText(hour.sums)}\n`);
    const day = Math.floor(hour.bucket / DAY_MS) * DAY_MS;
    s.day ??= { bucket: day, sums: empty(), p95: [] };
    merge(s.day.sums, hour.sums);
    s.hour = null;
    if (next < day + DAY_MS) return;
    const values = s.day.p95.sort((a, b) => a - b);
    const bins: number[] = [];
    const counts: number[] = [];
    for (const v of values) {
      const b = p95BinOf(v);
      if (bins[bins.length - 1] === b) counts[counts.length - 1]! += 1;
      else {
        bins.push(b);
        counts.push(1);
      }
    }
    const array = (xs: number[]) => (xs.length === 0 ? "\\N" : `{${xs.join(",")}}`);
    this.emit.day(
      `${s.key}\t${new Date(day).toISOString()}\t${this.measureText(s.day.sums)}\t${array(values)}\t${array(bins)}\t${array(counts)}\n`,
    );
    s.day = null;
  }

  private measureText(sums: Sums): string {
    return MEASURE_COLUMNS.map((c) => text(sums[c as keyof Sums])).join("\t");
  }

  private addRow(sums: Sums, row: RollupInputRow, s: Series): void {
    const v = (column: string) => {
      const i = this.at[column];
      return i === undefined ? null : (row.values[i] ?? null);
    };
    const h = row.intervalSeconds / 3600;
    const fac = v("facility_power_kw");
    const it = v("it_load_kw");
    const chiller = v("chiller_kw");
    const fan = v("fan_power_kw");
    const price = v("energy_price_per_kwh");
    const carbon = v("carbon_intensity_gco2_per_kwh");
    const inlet = v("avg_rack_inlet_c");
    const p95 = v("p95_rack_inlet_c");
    const hotspot = v("hotspot_rack_count");
    const setpoint = v("cooling_setpoint_c");
    const cooling = chiller !== null || fan !== null;
    sums.rows += 1;
    if (fac !== null) {
      const facKwh = fac * h;
      sums.facility_kwh = add(sums.facility_kwh, facKwh);
      if (it !== null) sums.pue_facility_kwh = add(sums.pue_facility_kwh, facKwh);
      if (cooling) sums.cooling_facility_kwh = add(sums.cooling_facility_kwh, facKwh);
      if (price !== null) sums.cost = add(sums.cost, facKwh * price);
      if (carbon !== null) {
        sums.co2e_g = add(sums.co2e_g, facKwh * carbon);
        sums.carbon_facility_kwh = add(sums.carbon_facility_kwh, facKwh);
      }
    }
    if (it !== null) {
      sums.it_kwh = add(sums.it_kwh, it * h);
      if (fac !== null) sums.pue_it_kwh = add(sums.pue_it_kwh, it * h);
    }
    if (cooling) sums.cooling_kwh = add(sums.cooling_kwh, ((chiller ?? 0) + (fan ?? 0)) * h);
    sums.currency_min = min(sums.currency_min, this.fixed.currency);
    sums.currency_max = max(sums.currency_max, this.fixed.currency);
    if (inlet !== null) {
      sums.inlet_c_hours = add(sums.inlet_c_hours, inlet * h);
      sums.inlet_hours = add(sums.inlet_hours, h);
    }
    if (hotspot !== null) {
      sums.hotspot_readings += 1;
      if (hotspot > 0) sums.hotspot_hours = add(sums.hotspot_hours, h);
    }
    if (p95 !== null) {
      sums.p95_inlet_sum_c = add(sums.p95_inlet_sum_c, p95);
      sums.p95_inlet_count += 1;
      sums.p95_inlet_max_c = max(sums.p95_inlet_max_c, p95);
      const day = Math.floor(row.ts / DAY_MS) * DAY_MS;
      // The hour's day opens here if the hour is its first (closeHour moves the sums later).
      s.day ??= { bucket: day, sums: empty(), p95: [] };
      s.day.p95.push(p95);
    }
    if (h > 0) {
      sums.present_intervals += 1;
      sums.step_hours = min(sums.step_hours, h);
    }
    sums.setpoint_min_c = min(sums.setpoint_min_c, setpoint);
    sums.setpoint_max_c = max(sums.setpoint_max_c, setpoint);
  }
}
