// `npx tsx scripts/mv-fixtures/export-intervals.ts [--out DIR]` (default lib/mv/fixtures): the M&V
// accuracy fixtures' inputs. From the demo generator (lib/demo/data.ts, DEFAULT_DEMO, site
// mad1 only — each site has its own random streams, so these are exactly mad1's rows of the demo
// year) it builds the intervals a study of mad1 with the cooling boundary (IPMVP Option B) would
// read, the way lib/mv/load-intervals.ts aggregates stored observations:
//   hourly: energy_kwh = Σ (chiller_kw + fan_power_kw) × 0.25 h over the hour's 15-minute rows of
//           all three clusters; it_kwh and facility_kwh likewise; temp_c = mean of the rows'
//           outdoor temperatures; price and carbon = facility-energy-weighted means;
//   daily:  24 complete UTC hours summed (energy, IT, facility), temp_h00…temp_h23 the hourly means
//           (degree-days come from hourly temperatures), price and carbon weighted by the hours'
//           facility energy.
// Baseline 2026-03-01 → 2026-06-01, reporting 2026-06-01 → 2026-07-01 (UTC; the demo's setpoint
// raise is 2026-06-01). Numbers are printed with String(x): the shortest text that parses back to
// the same double in JavaScript and in Python, so both sides read bit-identical inputs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_DEMO, DEMO_EVENT, demoRows } from "@/lib/demo/data";

const SITE = "mad1";
const BASELINE = { from: "2026-03-01T00:00:00Z", to: DEMO_EVENT.at };
const REPORTING = { from: DEMO_EVENT.at, to: "2026-07-01T00:00:00Z" };
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type Hour = {
  startMs: number;
  rows: number;
  hours: number;
  energyKwh: number;
  itKwh: number;
  facilityKwh: number;
  tempSum: number;
  priceWeighted: number;
  carbonWeighted: number;
};

type Row = {
  startMs: number;
  energyKwh: number;
  itKwh: number;
  facilityKwh: number;
  temps: number[];
  price: number;
  carbon: number;
};

function hoursOfDemo(fromMs: number, toMs: number): Hour[] {
  const opts = { ...DEFAULT_DEMO, sites: DEFAULT_DEMO.sites.filter((s) => s.siteId === SITE) };
  const clusters = opts.sites[0]!.clusters.length;
  const byHour = new Map<number, Hour>();
  for (const r of demoRows(opts)) {
    const t = Date.parse(r.timestamp_utc);
    if (t >= toMs) break;
    if (t < fromMs) continue;
    const h = r.interval_seconds / 3600;
    const start = t - (t % HOUR_MS);
    let hour = byHour.get(start);
    if (!hour) {
      hour = {
        startMs: start,
        rows: 0,
        hours: 0,
        energyKwh: 0,
        itKwh: 0,
        facilityKwh: 0,
        tempSum: 0,
        priceWeighted: 0,
        carbonWeighted: 0,
      };
      byHour.set(start, hour);
    }
    const facilityKwh = r.facility_power_kw * h;
    hour.rows += 1;
    hour.hours += h;
    hour.energyKwh += (r.chiller_kw + r.fan_power_kw) * h;
    hour.itKwh += r.it_load_kw * h;
    hour.facilityKwh += facilityKwh;
    hour.tempSum += r.outdoor_temp_c;
    hour.priceWeighted += facilityKwh * r.energy_price_usd_per_kwh;
    hour.carbonWeighted += facilityKwh * r.carbon_intensity_gco2_per_kwh;
  }
  const hours = [...byHour.values()].sort((a, b) => a.startMs - b.startMs);
  // The demo has no gaps: every hour must hold every cluster for the whole hour, as the loader requires.
  const expected = (toMs - fromMs) / HOUR_MS;
  if (hours.length !== expected) throw new Error(`expected ${expected} hours, got ${hours.length}`);
  for (const hour of hours) {
    if (Math.abs(hour.hours - clusters) > 1e-9)
      throw new Error(`incomplete hour ${new Date(hour.startMs).toISOString()}`);
  }
  return hours;
}

function hourly(hours: Hour[]): Row[] {
  return hours.map((h) => ({
    startMs: h.startMs,
    energyKwh: h.energyKwh,
    itKwh: h.itKwh,
    facilityKwh: h.facilityKwh,
    temps: [h.tempSum / h.rows],
    price: h.priceWeighted / h.facilityKwh,
    carbon: h.carbonWeighted / h.facilityKwh,
  }));
}

function daily(hours: Row[]): Row[] {
  const days: Row[] = [];
  for (let i = 0; i < hours.length; i += 24) {
    const group = hours.slice(i, i + 24);
    const day = group[0]!.startMs;
    if (day % DAY_MS !== 0 || group.length !== 24 || group.some((h, k) => h.startMs !== day + k * HOUR_MS))
      throw new Error(`incomplete day at ${new Date(day).toISOString()}`);
    const sum = (f: (h: Row) => number) => group.reduce((s, h) => s + f(h), 0);
    const facility = sum((h) => h.facilityKwh);
    days.push({
      startMs: day,
      energyKwh: sum((h) => h.energyKwh),
      itKwh: sum((h) => h.itKwh),
      facilityKwh: facility,
      temps: group.map((h) => h.temps[0]!),
      price: sum((h) => h.price * h.facilityKwh) / facility,
      carbon: sum((h) => h.carbon * h.facilityKwh) / facility,
    });
  }
  return days;
}

function csv(rows: Row[], tempHeaders: string[]): string {
  const reportingFrom = Date.parse(REPORTING.from);
  const header = ["start", "period", "energy_kwh", "it_kwh", "facility_kwh", ...tempHeaders, "price", "carbon"];
  const lines = rows.map((r) =>
    [
      new Date(r.startMs).toISOString(),
      r.startMs < reportingFrom ? "baseline" : "reporting",
      r.energyKwh,
      r.itKwh,
      r.facilityKwh,
      ...r.temps,
      r.price,
      r.carbon,
    ]
      .map(String)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\n")}\n`;
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: "string", default: "lib/mv/fixtures" } } });
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  const hours = hourly(hoursOfDemo(Date.parse(BASELINE.from), Date.parse(REPORTING.to)));
  const days = daily(hours);
  writeFileSync(join(out, "hourly.csv"), csv(hours, ["temp_c"]));
  writeFileSync(
    join(out, "daily.csv"),
    csv(
      days,
      Array.from({ length: 24 }, (_, h) => `temp_h${String(h).padStart(2, "0")}`),
    ),
  );
  const count = (rows: Row[], period: "baseline" | "reporting") =>
    rows.filter((r) => r.startMs < Date.parse(REPORTING.from) === (period === "baseline")).length;
  console.log(
    `[mv-fixtures] ${SITE}, cooling boundary: ${hours.length} hours (${count(hours, "baseline")} baseline, ${count(hours, "reporting")} reporting), ${days.length} days (${count(days, "baseline")} baseline, ${count(days, "reporting")} reporting) written to ${out}/hourly.csv and ${out}/daily.csv`,
  );
}

main();
