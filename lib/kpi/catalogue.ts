// The KPIs, each defined once: its field of `Kpis`, its label, the unit of its raw value, how many
// decimals a person reads, and its comparison (lib/kpi/compare.ts). The overview's cards, the
// before/after table, the KPI CSV and the PDF report all read this list, so a KPI is named, scaled
// and rounded the same everywhere (CSV cells carry the raw value in `unit`).
import { formatNumber } from "@/lib/format";
import type { KpiKey } from "./compare";
import type { Kpis } from "./kpis";

/** The numeric fields of `Kpis` a person reads. */
export type KpiField = {
  [K in keyof Kpis]: Kpis[K] extends number | null ? (K extends "series" ? never : K) : never;
}[keyof Kpis];

export type KpiEntry = {
  field: KpiField;
  compare?: KpiKey;
  label: string;
  /** What the value covers, where the label alone does not say. */
  detail?: string;
  /** How it reads: energy in kWh or MWh, emissions in kg or t, a share in %, money in its currency, or as is. */
  kind: "energy" | "emissions" | "share" | "money" | "plain";
  /** The raw value's unit (the CSV's unit column); money: the currency. */
  unit: (k: Kpis) => string;
  /** Decimals a person reads (a share: of its percentage; energy and emissions: in kWh and kg). */
  digits: number;
};

export const KPI_CATALOGUE: readonly KpiEntry[] = [
  { field: "pue", compare: "pue", label: "PUE (energy-weighted)", kind: "plain", unit: () => "", digits: 3 },
  { field: "facilityKwh", compare: "facility", label: "Facility energy", kind: "energy", unit: () => "kWh", digits: 0 },
  { field: "itKwh", compare: "it", label: "IT energy", kind: "energy", unit: () => "kWh", digits: 0 },
  {
    field: "coolingKwh",
    compare: "cooling",
    label: "Cooling energy",
    detail: "chiller + fans",
    kind: "energy",
    unit: () => "kWh",
    digits: 0,
  },
  { field: "coolingShare", label: "Cooling share of facility energy", kind: "share", unit: () => "ratio", digits: 1 },
  { field: "cost", compare: "cost", label: "Energy cost", kind: "money", unit: (k) => k.currency ?? "", digits: 0 },
  { field: "co2eKg", compare: "co2e", label: "Emissions", kind: "emissions", unit: () => "kg CO2e", digits: 0 },
  { field: "avgInletC", compare: "inlet", label: "Rack inlet (average)", kind: "plain", unit: () => "°C", digits: 1 },
  {
    field: "p95InletC",
    compare: "p95",
    label: "Rack inlet p95 (worst zone)",
    kind: "plain",
    unit: () => "°C",
    digits: 1,
  },
  { field: "hotspotHours", compare: "hotspots", label: "Hotspot-hours", kind: "plain", unit: () => "h", digits: 1 },
  { field: "coverage", compare: "coverage", label: "Data coverage", kind: "share", unit: () => "ratio", digits: 1 },
  { field: "rows", label: "Observations", kind: "plain", unit: () => "", digits: 0 },
];

/** The label with what it covers: "Cooling energy (chiller + fans)". */
export function fullLabel(e: KpiEntry): string {
  return e.detail ? `${e.label} (${e.detail})` : e.label;
}

/**
 * A value as a person reads it, in its own best unit (a card): 12.3 MWh, 97.3 %, 1.412.
 * `scaleLike` (a table's other values) picks one unit for all of them: MWh when any is 10,000 kWh or more.
 */
export function displayKpi(
  e: KpiEntry,
  value: number | null,
  k: Kpis,
  scaleLike: (number | null)[] = [value],
): { value: string; unit: string } {
  const big = scaleLike.some((v) => v !== null && Math.abs(v) >= 10_000);
  const scaled = (v: number | null) => (v === null ? null : v / 1000);
  switch (e.kind) {
    case "energy":
      return big
        ? { value: formatNumber(scaled(value), 1), unit: "MWh" }
        : { value: formatNumber(value, e.digits), unit: "kWh" };
    case "emissions":
      return big
        ? { value: formatNumber(scaled(value), 1), unit: "t CO2e" }
        : { value: formatNumber(value, e.digits), unit: "kg CO2e" };
    case "share":
      return { value: formatNumber(value === null ? null : value * 100, e.digits), unit: "%" };
    case "money":
      return { value: formatNumber(value, e.digits), unit: k.currency ?? "" };
    default:
      return { value: formatNumber(value, e.digits), unit: e.unit(k) };
  }
}
