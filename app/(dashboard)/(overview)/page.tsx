import type { Metadata } from "next";
import Link from "next/link";
import { DashboardFilters } from "@/components/dashboard/dashboard-filters";
import { KpiCards } from "@/components/dashboard/kpi-cards";
import { TimeChart, type TimeSeries } from "@/components/charts/time-chart";
import { InletHeatmap } from "@/components/dashboard/inlet-heatmap";
import { InvalidFilters } from "@/components/filters/filter-bar";
import { Card, PageHeader } from "@/components/ui/card";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { viewMenu } from "@/lib/views/manage";
import { deleteViewAction, saveViewAction } from "../views/actions";
import { buttonClass } from "@/components/ui/button";
import { dashboardQueryString, DashboardQuerySchema } from "@/lib/kpi/filter";
import { annotations } from "@/lib/kpi/annotations";
import { inletHeatmap } from "@/lib/kpi/heatmap";
import { filterChoices, overviewWithTrends, versionChoices } from "@/lib/kpi/overview";
import { RANGES } from "@/lib/kpi/range";
import { scopeOf } from "@/lib/kpi/scope";
import { openSavings24h } from "@/lib/biocore/recommendations";

export const metadata: Metadata = { title: "Overview" };

const day = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("dashboard.read");
  const raw = firstValues(await searchParams);
  const parsed = DashboardQuerySchema.safeParse(raw);
  const q = parsed.success ? parsed.data : DashboardQuerySchema.parse({});
  const scope = scopeOf(principal, q);
  const openScope = {
    tenantIds: scope.tenantIds,
    siteId: scope.siteId,
    clusterId: scope.clusterId,
    zoneId: scope.zoneId,
  };
  const openQuery = new URLSearchParams({
    actionable: "true",
    ...(q.tenant_id ? { tenant_id: q.tenant_id } : {}),
    ...(q.site_id ? { site_id: q.site_id } : {}),
  });
  const [{ overview: view, trends: computed }, choices, versions, open, views] = await Promise.all([
    overviewWithTrends(principal, q),
    filterChoices(principal, q),
    versionChoices(principal),
    allowed(principal, "recommendation.read") ? openSavings24h(principal, openScope) : null,
    viewMenu(principal),
  ]);
  const trends = computed!;
  const empty = view.current.rows === 0;
  // The events marked on the trends and the zones' heatmap, over the period just resolved.
  const [marks, heatmap] = empty
    ? [[], null]
    : await Promise.all([annotations(view.scope, view.period), inletHeatmap(view.scope, view.period)]);
  const times = trends.points.map((p) => p.t);
  const power: TimeSeries[] = [
    { name: "Facility", color: 1, values: trends.points.map((p) => p.facilityKw) },
    { name: "IT", color: 2, values: trends.points.map((p) => p.itKw) },
  ];
  const pue: TimeSeries[] = [{ name: "PUE", color: 3, values: trends.points.map((p) => p.pue) }];
  const inlet: TimeSeries[] = [
    { name: "p95 inlet (mean)", color: 4, values: trends.points.map((p) => p.p95InletC) },
    { name: "p95 inlet (max)", color: 5, values: trends.points.map((p) => p.p95InletMaxC), dashed: true },
  ];
  const cost: TimeSeries[] = [{ name: "Cost", color: 1, values: trends.points.map((p) => p.cost) }];
  const carbon: TimeSeries[] = [
    { name: "Carbon intensity", color: 6, values: trends.points.map((p) => p.carbonIntensity) },
  ];
  const bucket =
    trends.bucketSeconds >= 86_400
      ? `${trends.bucketSeconds / 86_400} d`
      : trends.bucketSeconds >= 3600
        ? `${trends.bucketSeconds / 3600} h`
        : `${trends.bucketSeconds / 60} min`;
  const x = {
    kind: "time" as const,
    times,
    domain: { from: view.period.from.toISOString(), to: view.period.to.toISOString() },
  };
  const chart = (
    title: string,
    series: TimeSeries[],
    unit: string,
    testId: string,
    limits?: { from: number; to: number; label: string },
  ) => (
    <Card title={title}>
      <TimeChart
        x={x}
        series={series}
        unit={unit}
        label={title}
        testId={testId}
        limits={limits}
        annotations={marks}
        syncKey="overview-trends"
        zoom
      />
    </Card>
  );
  const assetLabel = [q.site_id, q.facility_id, q.cluster_id, q.zone_id].filter(Boolean).join(" / ");
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            {q.range ? <span data-testid="range-label">{RANGES[q.range]}: </span> : null}
            <span data-testid="period">
              {day(view.period.from)} → {day(view.period.to)} UTC
            </span>
            {view.anchoredAtDataEnd && view.dataEnd
              ? ` (the last ${q.period} of ${assetLabel ? `${assetLabel}'s` : "the"} data, which ends ${day(view.dataEnd)})`
              : ""}
            , compared with {day(view.previous.from)} → {day(view.previous.to)}. The pilot only observes: it never sends
            a control action.
          </>
        }
      />
      <InvalidFilters error={parsed.error} />
      <DashboardFilters
        raw={raw}
        choices={choices}
        versions={versions}
        action="/"
        savedViews={{ views, save: saveViewAction, remove: deleteViewAction }}
      />
      {allowed(principal, "export.create") && !empty ? (
        <div className="mb-4 flex flex-wrap gap-2" data-testid="exports">
          <a
            className={buttonClass("secondary")}
            href={`/api/v1/kpi/report.pdf?${dashboardQueryString(q)}`}
            data-testid="export-pdf"
          >
            PDF report
          </a>
          <a
            className={buttonClass("secondary")}
            href={`/api/v1/kpi/export.csv?${dashboardQueryString(q)}`}
            data-testid="export-kpi-csv"
          >
            KPI summary CSV
          </a>
          <a
            className={buttonClass("secondary")}
            href={`/api/v1/observations/export.csv?${dashboardQueryString(q)}`}
            data-testid="export-csv"
          >
            Observations CSV
          </a>
          <Link className={buttonClass("ghost")} href={`/observations?${dashboardQueryString(q)}`}>
            Observations table →
          </Link>
        </div>
      ) : null}
      {empty ? (
        <Card>
          <p className="text-sm text-slate-600" data-testid="no-data">
            No observations in this period and scope.{" "}
            {allowed(principal, "dataset.upload") ? (
              <>
                Load a CSV on the{" "}
                <Link className="text-brand-700 underline" href="/datasets">
                  Datasets
                </Link>{" "}
                page, or send MASS requests.
              </>
            ) : (
              "Widen the period or the filters."
            )}
          </p>
        </Card>
      ) : (
        <>
          <KpiCards current={view.current} previous={view.before} />
          {view.overlaps.assetHours > 0 ? (
            <div
              className="mt-3 rounded-lg bg-amber-50 p-3 text-xs text-amber-900 ring-1 ring-amber-200"
              data-testid="overlaps"
            >
              <p>
                <span className="font-medium">Overlapping sources resolved:</span>{" "}
                {view.overlaps.assetHours.toLocaleString("en")} asset-hour{view.overlaps.assetHours === 1 ? "" : "s"} of
                this period {view.overlaps.assetHours === 1 ? "is" : "are"} held by more than one source. Each counts
                once, from the latest upload (datasets above MASS readings); the other sources&apos; rows for those
                hours are left out.
              </p>
              <ul className="mt-1 list-disc pl-5" data-testid="overlap-sources">
                {view.overlaps.sources.map((x) => (
                  <li key={`${x.tenantId}:${x.datasetVersionId ?? "mass"}`}>
                    {x.datasetId ? (
                      <Link className="underline" href={`/datasets/${x.datasetId}/versions/${x.version}`}>
                        {x.label}
                      </Link>
                    ) : (
                      x.label
                    )}
                    {view.scope.tenantIds?.length === 1 ? "" : ` (${x.tenantId})`}:{" "}
                    {x.wonHours > 0 ? `counted for ${x.wonHours.toLocaleString("en")} h` : ""}
                    {x.wonHours > 0 && x.lostHours > 0 ? ", " : ""}
                    {x.lostHours > 0 ? `left out for ${x.lostHours.toLocaleString("en")} h` : ""}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {open ? (
            <Link
              href={`/recommendations?${openQuery}`}
              className="mt-3 block rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600"
              data-testid="open-savings"
            >
              <span className="text-xs font-medium text-slate-600">
                Estimated savings of open recommendations (24 h)
              </span>
              <span className="mt-1 block text-xl font-semibold tabular-nums text-slate-900">
                {open.kwh.toLocaleString("en", { maximumFractionDigits: 0 })} kWh
              </span>
              <span className="text-xs text-slate-600">
                {open.count} open, actionable recommendation{open.count === 1 ? "" : "s"} (new or acknowledged, not yet
                implemented) for{" "}
                {[q.site_id, q.cluster_id, q.zone_id].filter(Boolean).join(" / ") || "every site in view"}, open now
                (the period does not apply) · BioCore&apos;s estimates, not measured savings: verify them with an
                M&amp;V study
              </span>
            </Link>
          ) : null}
          <p className="mt-2 mb-4 text-xs text-slate-500">
            Trends: one point per {bucket}; hover for values (the crosshair follows on every chart), drag across a chart
            to zoom. Dashed vertical lines mark setpoint changes, implemented recommendations and dataset loads.
          </p>
          <div className="grid gap-4 xl:grid-cols-2" data-testid="trends">
            {chart("Facility vs IT power", power, "kW", "chart-power")}
            {chart("PUE", pue, "", "chart-pue")}
            {chart("Rack inlet p95", inlet, "°C", "chart-inlet", {
              from: 18,
              to: 27,
              label: "ASHRAE recommended 18–27 °C",
            })}
            {chart(`Energy cost per ${bucket}`, cost, view.current.currency ?? "", "chart-cost")}
            {chart("Grid carbon intensity", carbon, "gCO2/kWh", "chart-carbon")}
          </div>
          {heatmap ? (
            <Card title="Rack inlet p95 by zone" className="mt-4">
              <InletHeatmap data={heatmap} />
            </Card>
          ) : null}
        </>
      )}
    </>
  );
}
