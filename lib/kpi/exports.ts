// Exports of the dashboard's filtered data — observations CSV, KPI summary CSV, PDF report — and
// the audit event each one writes (who took which data away, with which filters, how many rows).
import "server-only";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import type { Principal } from "@/lib/access/principal";
import { copyCsvStream } from "@/lib/export/copy-csv";
import { toCsvStream } from "@/lib/export/csv";
import { dashboardQueryString, type DashboardQuery } from "./filter";
import { KPI_CATALOGUE, fullLabel, type KpiEntry } from "./catalogue";
import { compareKpi, type KpiComparison } from "./compare";
import { CSV_LEADING_TIMES, OBSERVATION_COLUMNS } from "./observation-columns";
import type { Overview } from "./overview";
import { observationsCsvRecords } from "./queries/observations";
import type { Period, Scope } from "./scope";

export async function recordExport(
  principal: Principal,
  what: "observations" | "kpis" | "report",
  format: "csv" | "pdf",
  q: DashboardQuery,
  period: Period,
  rows: number,
  context: RequestContext,
) {
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
  return copyCsvStream(
    await observationsCsvRecords(scope, period),
    OBSERVATION_COLUMNS.map((c) => c.header),
    { leadingTimes: CSV_LEADING_TIMES },
  );
}

const relativeOrNull = (c: KpiComparison) => (c.kind === "relative" ? c.delta : null);

/** A comparison in a table cell: "+3.2 %", "−0.40 K", or "—" (the reason is in the CSV's change column). */
export function shortChange(c: KpiComparison): string {
  if (c.delta === null) return "—";
  const sign = c.delta > 0 ? "+" : c.delta < 0 ? "−" : "";
  if (c.kind === "relative") return `${sign}${Math.abs(c.delta * 100).toFixed(1)} %`;
  return `${sign}${Math.abs(c.delta).toFixed(c.unit === "K" ? 2 : 1)}${c.unit ? ` ${c.unit}` : ""}`;
}

export function kpiCsv(o: Overview): ReadableStream<Uint8Array> {
  return toCsvStream<KpiEntry>(KPI_CATALOGUE, [
    { header: "kpi", value: (r) => fullLabel(r) },
    { header: "unit", value: (r) => r.unit(o.current) },
    {
      header: `current (${o.period.from.toISOString()} – ${o.period.to.toISOString()})`,
      value: (r) => o.current[r.field],
    },
    {
      header: `previous (${o.previous.from.toISOString()} – ${o.previous.to.toISOString()})`,
      value: (r) => o.before[r.field],
    },
    {
      header: "change_ratio",
      value: (r) => (r.compare ? relativeOrNull(compareKpi(r.compare, o.current, o.before)) : null),
    },
    { header: "change", value: (r) => (r.compare ? compareKpi(r.compare, o.current, o.before).text : "") },
  ]);
}
