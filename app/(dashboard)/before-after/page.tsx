import type { Metadata } from "next";
import Link from "next/link";
import { TimeChart } from "@/components/charts/time-chart";
import { FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { compare, CompareQuerySchema } from "@/lib/kpi/before-after";
import { formatNumber, formatUtcMinute, NONE } from "@/lib/format";
import { displayKpi, fullLabel, KPI_CATALOGUE } from "@/lib/kpi/catalogue";
import { change } from "@/lib/kpi/kpis";
import { filterChoices } from "@/lib/kpi/overview";
import { scopeOf } from "@/lib/kpi/scope";

export const metadata: Metadata = { title: "Before / after" };

// The compared KPIs of the catalogue (lib/kpi/catalogue.ts), named and rounded as on the overview.
const ROWS = KPI_CATALOGUE.filter((e) => e.compare);

export default async function BeforeAfterPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("dashboard.read");
  const raw = firstValues(await searchParams);
  const parsed = CompareQuerySchema.safeParse(raw);
  const q = parsed.success ? parsed.data : CompareQuerySchema.parse({});
  const dq = { ...q, period: "30d" as const, from: undefined, to: undefined };
  const [result, choices] = await Promise.all([
    compare(scopeOf(principal, dq), q, { charts: true }),
    filterChoices(principal, { ...dq, site_id: undefined, cluster_id: undefined, zone_id: undefined }),
  ]);
  const scoped = "scope" in result ? result.scope : null;
  const scopeText = scoped
    ? [scoped.tenantId ?? "every tenant", scoped.siteId ?? "every site", scoped.clusterId, scoped.zoneId]
        .filter(Boolean)
        .join(" / ")
    : "";
  return (
    <>
      <PageHeader
        title="Before / after"
        description="Two periods side by side: around an event (by default the latest cooling-setpoint change in the data), or any two periods you choose."
      />
      <InvalidFilters error={parsed.error} />
      <Card className="mb-4">
        <form
          method="get"
          className="grid gap-3 md:grid-cols-6 lg:grid-cols-12 md:items-end"
          data-testid="compare-form"
        >
          <div className="lg:col-span-3">
            <Label htmlFor="event">Event (UTC)</Label>
            <Select id="event" name="event" defaultValue={raw.event ?? ""}>
              <option value="">latest setpoint change</option>
              {result.changes.map((c) => (
                <option key={`${c.at.toISOString()}${c.site}`} value={c.at.toISOString()}>
                  {formatUtcMinute(c.at)} · {c.site}: {c.from} → {c.to} °C
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor="days">Days each side</Label>
            <Input id="days" name="days" type="number" min={1} max={365} defaultValue={raw.days ?? "14"} />
          </div>
          <div className="lg:col-span-2">
            <Label htmlFor="profile">Overlay by</Label>
            <Select id="profile" name="profile" defaultValue={raw.profile ?? "day"}>
              <option value="day">time of day</option>
              <option value="week">time of week</option>
            </Select>
          </div>
          <div className="lg:col-span-3">
            <Label htmlFor="site_id">Site</Label>
            <Select id="site_id" name="site_id" defaultValue={raw.site_id ?? ""}>
              <option value="">the event&apos;s site</option>
              {choices.sites.map((site) => (
                <option key={site} value={site}>
                  {site}
                </option>
              ))}
            </Select>
          </div>
          <div className="lg:col-span-3">
            <Label htmlFor="cluster_id">Cluster</Label>
            <Select id="cluster_id" name="cluster_id" defaultValue={raw.cluster_id ?? ""}>
              <option value="">every cluster</option>
              {choices.clusters.map((cluster) => (
                <option key={cluster} value={cluster}>
                  {cluster}
                </option>
              ))}
            </Select>
          </div>
          {(["before_from", "before_to", "after_from", "after_to"] as const).map((name) => (
            <div key={name} className="lg:col-span-3">
              <Label htmlFor={name}>{name.replace("_", " ")} (or)</Label>
              <Input id={name} name={name} type="datetime-local" defaultValue={raw[name]?.slice(0, 16)} />
            </div>
          ))}
          <input type="hidden" name="tenant_id" value={raw.tenant_id ?? ""} />
          <FilterActions resetHref="/before-after" />
        </form>
      </Card>
      {result.before === null ? (
        <Card>
          <p className="text-sm text-slate-600">
            No setpoint change in the data and no periods chosen: pick two periods above.
          </p>
        </Card>
      ) : (
        <>
          <div
            className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
            role="note"
            data-testid="not-normalized"
          >
            This comparison is <strong>not normalized for load or weather</strong>: a hotter or busier period looks
            worse whatever changed. To attribute savings to the change, the periods must be compared through a baseline
            model — an M&V study.
            {allowed(principal, "mv.write") ? (
              <>
                {" "}
                <Link
                  className="font-medium underline"
                  data-testid="create-mv-study"
                  href={`/mv/new?${new URLSearchParams({
                    // Exactly the scope the table was computed on.
                    ...(result.scope.tenantId ? { tenant_id: result.scope.tenantId } : {}),
                    ...(result.scope.siteId ? { site_id: result.scope.siteId } : {}),
                    ...(result.scope.clusterId ? { cluster_id: result.scope.clusterId } : {}),
                    ...(result.event ? { event: result.event.at.toISOString() } : {}),
                    before_from: result.before.from.toISOString(),
                    before_to: result.before.to.toISOString(),
                    after_from: result.after.from.toISOString(),
                    after_to: result.after.to.toISOString(),
                  })}`}
                >
                  Create an M&amp;V study from this
                </Link>
              </>
            ) : null}
          </div>
          <Card
            title={
              <span data-testid="compare-periods">
                Before {formatUtcMinute(result.before.from)} → {formatUtcMinute(result.before.to)} · after{" "}
                {formatUtcMinute(result.after.from)} → {formatUtcMinute(result.after.to)} UTC
                {result.event ? ` · ${result.event.site}: setpoint ${result.event.from} → ${result.event.to} °C` : ""}
                <span className="block text-xs font-normal text-slate-500" data-testid="compare-scope">
                  Scope: {scopeText}
                </span>
              </span>
            }
          >
            <Table label="KPIs before and after" testId="compare-table">
              <THead>
                <Th>KPI</Th>
                <Th numeric>Before</Th>
                <Th numeric>After</Th>
                <Th numeric>Change</Th>
                <Th numeric>%</Th>
              </THead>
              <TBody>
                {ROWS.map((r) => {
                  const a = result.kpisBefore[r.field];
                  const b = result.kpisAfter[r.field];
                  const delta = a === null || b === null ? null : b - a;
                  // Temperatures and coverage change in K and points, never in % (lib/kpi/compare.ts).
                  const pct = r.unit(result.kpisAfter) === "°C" || r.kind === "share" ? null : change(b, a);
                  // Before, after and their change in one unit (MWh for all three when any needs it).
                  const both = [a, b];
                  const before = displayKpi(r, a, result.kpisAfter, both);
                  const after = displayKpi(r, b, result.kpisAfter, both);
                  const moved = displayKpi(r, delta, result.kpisAfter, both);
                  const deltaUnit = before.unit === "°C" ? "K" : before.unit === "%" ? "pp" : before.unit;
                  return (
                    <Tr key={r.field} data-testid={`compare-${r.field}`}>
                      <Td>{fullLabel(r)}</Td>
                      <Td numeric>
                        {before.value} {before.unit}
                      </Td>
                      <Td numeric>
                        {after.value} {after.unit}
                      </Td>
                      <Td numeric>
                        {delta === null
                          ? NONE
                          : `${delta > 0 ? "+" : ""}${moved.value}${deltaUnit ? ` ${deltaUnit}` : ""}`}
                      </Td>
                      <Td numeric>{pct === null ? NONE : `${pct > 0 ? "+" : ""}${formatNumber(pct * 100, 1)} %`}</Td>
                    </Tr>
                  );
                })}
              </TBody>
            </Table>
          </Card>
          {result.trends ? (
            <Card title="Facility power over both periods" className="mt-4">
              <TimeChart
                x={{
                  kind: "time",
                  times: result.trends.points.map((p) => p.t),
                  domain: {
                    from: new Date(Math.min(result.before.from.getTime(), result.after.from.getTime())).toISOString(),
                    to: new Date(Math.max(result.before.to.getTime(), result.after.to.getTime())).toISOString(),
                  },
                }}
                series={[
                  { name: "Facility", color: 1, values: result.trends.points.map((p) => p.facilityKw) },
                  { name: "IT", color: 2, values: result.trends.points.map((p) => p.itKw) },
                ]}
                unit="kW"
                label="Facility and IT power over the before and after periods"
                testId="before-after-trend"
                annotations={result.annotations}
                syncKey="before-after-trend"
              />
            </Card>
          ) : null}
          <div className="mt-4 grid gap-4 xl:grid-cols-2">
            <Card title={`Facility power by time of ${result.profileKind}`}>
              <TimeChart
                x={{
                  kind: result.profileKind === "day" ? "hour-of-day" : "hour-of-week",
                  count: result.profile.length,
                }}
                series={[
                  {
                    name: "before",
                    color: 6,
                    dashed: true,
                    values: result.profile.map((p) => p.beforeFacilityKw),
                  },
                  { name: "after", color: 1, values: result.profile.map((p) => p.afterFacilityKw) },
                ]}
                unit="kW"
                label="Facility power profile"
                testId="profile-power"
                syncKey="before-after-profile"
              />
            </Card>
            <Card title={`PUE by time of ${result.profileKind}`}>
              <TimeChart
                x={{
                  kind: result.profileKind === "day" ? "hour-of-day" : "hour-of-week",
                  count: result.profile.length,
                }}
                series={[
                  { name: "before", color: 6, dashed: true, values: result.profile.map((p) => p.beforePue) },
                  { name: "after", color: 1, values: result.profile.map((p) => p.afterPue) },
                ]}
                unit=""
                label="PUE profile"
                testId="profile-pue"
                syncKey="before-after-profile"
              />
            </Card>
          </div>
          <p className="mt-3 text-xs text-slate-500">
            The KPIs and profiles read the same observations as the{" "}
            <Link className="underline" href="/">
              Overview
            </Link>{" "}
            (latest dataset versions and MASS data within your tenants).
          </p>
        </>
      )}
    </>
  );
}
