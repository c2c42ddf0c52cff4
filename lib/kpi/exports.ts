// Exports of the dashboard's filtered data — observations CSV, KPI summary CSV, PDF report — and
// the audit event each one writes (who took which data away, with which filters, how many rows).
import "server-only";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import type { Principal } from "@/lib/auth/principal";
import { copyCsvStream } from "@/lib/export/copy-csv";
import { toCsvStream } from "@/lib/export/csv";
import { dashboardQueryString, type DashboardQuery } from "./filter";
import { change, type Kpis } from "./kpis";
import { CSV_LEADING_TIMES, OBSERVATION_COLUMNS, observationsCsvQuery } from "./observations";
import type { Overview } from "./overview";
import type { Period, Scope } from "./scope";

export async function recordExport(principal: Principal, what: "observations" | "kpis" | "report", format: "csv" | "pdf", q: DashboardQuery, period: Period, rows: number, context: RequestContext) {
  await recordAuditAlone({
    actor: actorOf(principal),
    action: `export.${format}`,
    targetType: what,
    tenantId: q.tenant_id ?? null,
    datasetVersion: q.version ?? null,
    inputs: { filters: dashboardQueryString(q) || null, from: period.from.toISOString(), to: period.to.toISOString() },
    outputs: { rows },
    context,
  });
}

export async function observationsCsv(scope: Scope, period: Period): Promise<ReadableStream<Uint8Array>> {
  const query = await observationsCsvQuery(scope, period);
  return copyCsvStream({ text: query.text, values: query.values }, OBSERVATION_COLUMNS.map((c) => c.header), { leadingTimes: CSV_LEADING_TIMES });
}

export const KPI_ROWS: { key: keyof Kpis; label: string; unit: (k: Kpis) => string }[] = [
  { key: "pue", label: "PUE (energy-weighted)", unit: () => "" },
  { key: "facilityKwh", label: "Facility energy", unit: () => "kWh" },
  { key: "itKwh", label: "IT energy", unit: () => "kWh" },
  { key: "coolingKwh", label: "Cooling energy (chiller + fans)", unit: () => "kWh" },
  { key: "coolingShare", label: "Cooling share of facility energy", unit: () => "ratio" },
  { key: "cost", label: "Energy cost", unit: (k) => k.currency ?? "" },
  { key: "co2eKg", label: "Emissions", unit: () => "kg CO2e" },
  { key: "avgInletC", label: "Rack inlet (average)", unit: () => "°C" },
  { key: "p95InletC", label: "Rack inlet p95 (worst zone)", unit: () => "°C" },
  { key: "hotspotHours", label: "Hotspot-hours", unit: () => "h" },
  { key: "coverage", label: "Data coverage", unit: () => "ratio" },
  { key: "rows", label: "Observations", unit: () => "" },
];

export function kpiCsv(o: Overview): ReadableStream<Uint8Array> {
  type Row = (typeof KPI_ROWS)[number];
  const value = (k: Kpis, key: keyof Kpis) => (typeof k[key] === "number" ? (k[key] as number) : null);
  return toCsvStream<Row>(KPI_ROWS, [
    { header: "kpi", value: (r) => r.label },
    { header: "unit", value: (r) => r.unit(o.current) },
    { header: `current (${o.period.from.toISOString()} – ${o.period.to.toISOString()})`, value: (r) => value(o.current, r.key) },
    { header: `previous (${o.previous.from.toISOString()} – ${o.previous.to.toISOString()})`, value: (r) => value(o.before, r.key) },
    { header: "change_ratio", value: (r) => change(value(o.current, r.key), value(o.before, r.key)) },
  ]);
}
