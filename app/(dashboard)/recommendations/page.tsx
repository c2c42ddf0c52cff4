import type { Metadata } from "next";
import { AskBioCoreForm } from "@/components/recommendations/ask-biocore-form";
import { BiocoreStatusPanel } from "@/components/recommendations/biocore-status-panel";
import { RecommendationList } from "@/components/recommendations/recommendation-list";
import { FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { listAskScopes } from "@/lib/biocore/ask";
import { listRecommendations, openSavings24h, RecommendationFilterSchema } from "@/lib/biocore/recommendations";
import { serializeRecommendation } from "@/lib/biocore/serialize";
import { RecommendationStatusSchema } from "@/lib/biocore/serialize";
import { biocoreStatus } from "@/lib/biocore/status";
import { askBioCoreAction, retryFailedJobsAction } from "./actions";

export const metadata: Metadata = { title: "Recommendations" };

export default async function RecommendationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("recommendation.read");
  const raw = firstValues(await searchParams);
  const parsed = RecommendationFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : RecommendationFilterSchema.parse({});
  const mayAsk = allowed(principal, "mass.ingest");
  const [items, status, open, scopes] = await Promise.all([
    listRecommendations(principal, filter),
    biocoreStatus(principal),
    openSavings24h(principal, {
      tenantIds: filter.tenant_id ? [filter.tenant_id] : undefined,
      siteId: filter.site_id,
      clusterId: filter.cluster_id,
      zoneId: filter.zone_id,
    }),
    mayAsk ? listAskScopes(principal) : Promise.resolve([]),
  ]);
  return (
    <>
      <PageHeader
        title="Recommendations"
        description="What BioCore suggests for each MASS request (or each ask about stored data), with its expected impact and its reasons. Suggestions only: the pilot runs in shadow mode and never sends an action to a plant. Each one is checked against its request's hard constraints; a flagged one is never shown as actionable."
      />
      <Card title="BioCore" className="mb-4">
        <BiocoreStatusPanel
          status={status}
          retry={allowed(principal, "mass.ingest") ? retryFailedJobsAction : undefined}
        />
      </Card>
      {mayAsk ? (
        <Card title="Ask BioCore" className="mb-4">
          <p className="mb-3 text-sm text-slate-600">
            About any stored data, uploaded CSV or MASS: the pilot builds the MASS request from the chosen site&apos;s
            observations in the window (per series its latest value of each field; power summed, the p95 inlet the
            hottest, the rest averaged) and queues it like any other. Advice only.
          </p>
          <AskBioCoreForm scopes={scopes} serverAction={askBioCoreAction} />
        </Card>
      ) : null}
      <Card className="mb-4">
        <form method="get" className="grid gap-3 md:grid-cols-6 md:items-end">
          <div>
            <Label htmlFor="status">Status</Label>
            <Select id="status" name="status" defaultValue={raw.status ?? ""}>
              <option value="">any</option>
              {RecommendationStatusSchema.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor="category">Category</Label>
            <Select id="category" name="category" defaultValue={raw.category ?? ""}>
              <option value="">any</option>
              <option value="cooling_setpoint">cooling setpoint</option>
              <option value="fan_speed">fan speed</option>
              <option value="hotspot_mitigation">hotspot mitigation</option>
              <option value="workload_shift">workload shift</option>
            </Select>
          </div>
          <div>
            <Label htmlFor="site_id">Site</Label>
            <Input id="site_id" name="site_id" defaultValue={raw.site_id ?? ""} />
          </div>
          <div>
            <Label htmlFor="actionable">Guardrails</Label>
            <Select id="actionable" name="actionable" defaultValue={raw.actionable ?? ""}>
              <option value="">any</option>
              <option value="true">actionable</option>
              <option value="false">flagged or stale</option>
            </Select>
          </div>
          <FilterActions resetHref="/recommendations" />
        </form>
        <InvalidFilters error={parsed.error} />
      </Card>
      <Card
        title={`${items.length} recommendation${items.length === 1 ? "" : "s"} · open and actionable: ${open.count}, est. ${open.kwh.toLocaleString("en", { maximumFractionDigits: 0 })} kWh saved per 24 h`}
      >
        <RecommendationList items={items.map(serializeRecommendation)} />
      </Card>
    </>
  );
}
