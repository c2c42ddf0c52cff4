// The dashboard's filter form: a plain GET form, so every view is a URL; with auto-refresh (for a
// range relative to now) and the user's saved views.
import { AutoRefresh } from "@/components/filters/auto-refresh";
import { refreshSeconds } from "@/components/filters/refresh-options";
import { FilterActions } from "@/components/filters/filter-bar";
import { SavedViews, type SavedViewsProps } from "@/components/filters/saved-views";
import { Card } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import type { FilterChoices, VersionChoice } from "@/lib/kpi/overview";
import { RANGES } from "@/lib/kpi/range";

const PERIODS = [
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["90d", "Last 90 days"],
  ["12m", "Last 12 months"],
  ["custom", "Custom range"],
] as const;

export function DashboardFilters({
  raw,
  choices,
  versions,
  action,
  savedViews,
}: {
  raw: Record<string, string>;
  choices: FilterChoices;
  versions: VersionChoice[];
  action: string;
  savedViews?: SavedViewsProps;
}) {
  const relative = Object.hasOwn(RANGES, raw.range ?? "");
  const select = (name: string, label: string, values: string[]) => (
    <div className="lg:col-span-2">
      <Label htmlFor={name}>{label}</Label>
      <Select id={name} name={name} defaultValue={raw[name] ?? ""}>
        <option value="">all</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </Select>
    </div>
  );
  return (
    <Card className="mb-4">
      <form
        method="get"
        action={action}
        className="grid gap-3 md:grid-cols-6 lg:grid-cols-12 md:items-end"
        data-testid="dashboard-filters"
      >
        <div className="lg:col-span-2">
          <Label htmlFor="period">Period</Label>
          <Select id="period" name="period" defaultValue={raw.period ?? "30d"}>
            {PERIODS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="lg:col-span-2">
          <Label htmlFor="range">Relative to now</Label>
          <Select id="range" name="range" defaultValue={relative ? raw.range : ""}>
            <option value="">off</option>
            {Object.entries(RANGES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </div>
        <div className="lg:col-span-2">
          <Label htmlFor="from">From (UTC, custom)</Label>
          <Input id="from" name="from" type="datetime-local" defaultValue={raw.from?.slice(0, 16)} />
        </div>
        <div className="lg:col-span-2">
          <Label htmlFor="to">To (UTC, custom)</Label>
          <Input id="to" name="to" type="datetime-local" defaultValue={raw.to?.slice(0, 16)} />
        </div>
        {choices.tenants.length > 1 || raw.tenant_id ? select("tenant_id", "Tenant", choices.tenants) : null}
        {select("site_id", "Site", choices.sites)}
        {select("facility_id", "Facility", choices.facilities)}
        {select("cluster_id", "Cluster", choices.clusters)}
        {select("zone_id", "Zone", choices.zones)}
        {/* Three columns: two cut "MASS requests" off at the widths a laptop gives the grid. */}
        <div className="lg:col-span-3">
          <Label htmlFor="source">Source</Label>
          <Select id="source" name="source" defaultValue={raw.source ?? "all"}>
            <option value="all">all sources</option>
            <option value="csv">CSV datasets</option>
            <option value="mass">MASS requests</option>
          </Select>
        </div>
        <div className="lg:col-span-3">
          <Label htmlFor="version">Dataset version</Label>
          <Select id="version" name="version" defaultValue={raw.version ?? ""}>
            <option value="">latest of each dataset</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </Select>
        </div>
        <AutoRefresh relative={relative} refresh={refreshSeconds(raw.refresh)} renderedAt={new Date().toISOString()} />
        <FilterActions resetHref={action} />
      </form>
      {savedViews ? <SavedViews {...savedViews} /> : null}
    </Card>
  );
}
