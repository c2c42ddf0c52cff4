// How a KPI compares with the previous equal period, in words an operator can act on. Rules:
// - A change is shown only when both periods can be compared. Sums (energy, cost, CO2e,
//   hotspot-hours) need both periods' coverage within 5 percentage points of each other: a sum
//   over 40 % of the intervals against one over 97 % measures the gap in the data, not the site.
//   Ratios and averages (PUE, temperatures) need at least 50 % coverage in each period.
// - Energy, cost, CO2e and PUE change in %; temperatures in K; hotspot-hours in hours; coverage
//   in percentage points. A previous value of 0 gives an absolute change, never "∞ %".
// - Colour by meaning: lower is better for PUE, facility and cooling energy, cost, CO2e,
//   temperatures and hotspots; higher coverage is better; IT energy is the work done — neutral.
// - "—" and "no comparison" always say why: no observations, a column the data does not have,
//   no data in the previous period, or coverages too different.
// Pure: the cards, the API and the PDF report use the same words.
import type { Kpis } from "./kpis";
import { formatPercent } from "@/lib/format";

export type KpiKey =
  "pue" | "facility" | "it" | "cooling" | "cost" | "co2e" | "inlet" | "p95" | "hotspots" | "coverage";
type Kind = "sum" | "ratio" | "temperature" | "share";
type Meta = {
  kind: Kind;
  better: "lower" | "higher" | "neutral";
  unit: "%" | "K" | "h" | "pp";
  pick: (k: Kpis) => number | null;
  missing: string;
  /** The value's own unit, for an absolute change from 0. */ base?: string;
};

export const MIN_COVERAGE_FOR_RATIOS = 0.5;
export const MAX_COVERAGE_GAP_FOR_SUMS = 0.05;

const META: Record<KpiKey, Meta> = {
  pue: {
    kind: "ratio",
    better: "lower",
    unit: "%",
    pick: (k) => k.pue,
    missing: "no interval has both facility and IT power",
  },
  facility: {
    kind: "sum",
    better: "lower",
    unit: "%",
    pick: (k) => k.facilityKwh,
    missing: "the data has no facility power",
    base: "kWh",
  },
  it: {
    kind: "sum",
    better: "neutral",
    unit: "%",
    pick: (k) => k.itKwh,
    missing: "the data has no IT load",
    base: "kWh",
  },
  cooling: {
    kind: "sum",
    better: "lower",
    unit: "%",
    pick: (k) => k.coolingKwh,
    missing: "the data has no chiller or fan power",
    base: "kWh",
  },
  cost: {
    kind: "sum",
    better: "lower",
    unit: "%",
    pick: (k) => (k.currency === "mixed" ? null : k.cost),
    missing: "the data has no energy price (or mixes currencies)",
  },
  co2e: {
    kind: "sum",
    better: "lower",
    unit: "%",
    pick: (k) => k.co2eKg,
    missing: "the data has no grid carbon intensity",
    base: "kg",
  },
  inlet: {
    kind: "temperature",
    better: "lower",
    unit: "K",
    pick: (k) => k.avgInletC,
    missing: "the data has no average rack inlet temperature",
  },
  p95: {
    kind: "temperature",
    better: "lower",
    unit: "K",
    pick: (k) => k.p95InletC,
    missing: "the data has no p95 rack inlet temperature",
  },
  hotspots: {
    kind: "sum",
    better: "lower",
    unit: "h",
    pick: (k) => k.hotspotHours,
    missing: "the data has no hotspot rack count",
  },
  coverage: {
    kind: "share",
    better: "higher",
    unit: "pp",
    pick: (k) => k.coverage,
    missing: "no series with a known interval",
  },
};

export const KPI_KEYS = Object.keys(META) as KpiKey[];

export type KpiComparison = {
  /** relative: delta is a fraction (0.05 = +5 %); absolute: delta in `unit`; none: `reason` says why. */
  kind: "relative" | "absolute" | "none";
  delta: number | null;
  unit: string | null;
  tone: "good" | "bad" | "neutral";
  text: string;
  /** Why the value is "—" (current period), when it is. */
  valueReason: string | null;
};

const pct = (c: number | null) => (c === null ? "?" : formatPercent(c));
const arrow = (d: number) => (d > 0 ? "▲" : d < 0 ? "▼" : "=");

export function compareKpi(key: KpiKey, current: Kpis, previous: Kpis): KpiComparison {
  const m = META[key];
  const none = (text: string, valueReason: string | null = null): KpiComparison => ({
    kind: "none",
    delta: null,
    unit: null,
    tone: "neutral",
    text,
    valueReason,
  });
  const cur = m.pick(current);
  if (current.rows === 0) return none("no observations in this period", "no observations in this period");
  if (cur === null) return none(`no value: ${m.missing}`, m.missing);
  const prev = m.pick(previous);
  if (previous.rows === 0) return none("no data in the previous period to compare");
  if (prev === null) return none(`previous period: ${m.missing}`);
  if (
    m.kind === "sum" &&
    (current.coverage === null ||
      previous.coverage === null ||
      Math.abs(current.coverage - previous.coverage) > MAX_COVERAGE_GAP_FOR_SUMS)
  ) {
    return none(`not compared: coverage ${pct(current.coverage)} vs ${pct(previous.coverage)} in the previous period`);
  }
  if (
    (m.kind === "ratio" || m.kind === "temperature") &&
    ((current.coverage ?? 0) < MIN_COVERAGE_FOR_RATIOS || (previous.coverage ?? 0) < MIN_COVERAGE_FOR_RATIOS)
  ) {
    return none(
      `not compared: coverage ${pct(current.coverage)} vs ${pct(previous.coverage)} (both need ≥ ${MIN_COVERAGE_FOR_RATIOS * 100} %)`,
    );
  }
  const tone = (d: number): KpiComparison["tone"] =>
    d === 0 || m.better === "neutral" ? "neutral" : (m.better === "lower") === d < 0 ? "good" : "bad";
  if (m.unit === "%" && prev !== 0) {
    const d = (cur - prev) / Math.abs(prev);
    return {
      kind: "relative",
      delta: d,
      unit: "%",
      tone: tone(d),
      text: `${arrow(d)} ${Math.abs(d * 100).toFixed(1)} % vs previous period`,
      valueReason: null,
    };
  }
  const scale = m.unit === "pp" ? 100 : 1;
  const d = (cur - prev) * scale;
  const unit = m.unit === "%" ? (m.base ?? null) : m.unit;
  const digits = m.unit === "K" ? 2 : m.unit === "%" ? 0 : 1;
  const was = prev === 0 || m.unit === "h" ? ` (was ${(prev * scale).toFixed(digits)}${unit ? ` ${unit}` : ""})` : "";
  return {
    kind: "absolute",
    delta: d,
    unit,
    tone: tone(d),
    text: `${arrow(d)} ${Math.abs(d).toFixed(digits)}${unit ? ` ${unit}` : ""} vs previous period${was}`,
    valueReason: null,
  };
}
