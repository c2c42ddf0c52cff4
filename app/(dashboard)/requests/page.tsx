import type { Metadata } from "next";
import { CursorPager, FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { RequestsTable } from "@/components/mass/requests-table";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { firstValues } from "@/lib/audit/audit-filter";
import { requireRole } from "@/lib/auth/require-user";
import { visibleTenantFilter } from "@/lib/access/tenant-scope";
import { MassListQuerySchema } from "@/lib/mass/list-query";
import { countMassRequests, listMassRequests } from "@/lib/mass/repo";

export const metadata: Metadata = { title: "MASS requests" };

const SORTS = [
  ["-received_at", "Newest first"],
  ["received_at", "Oldest first"],
  ["tenant_id", "Tenant"],
  ["site_id", "Site"],
  ["status", "Status"],
] as const;

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requireRole("mass.read");
  const raw = firstValues(await searchParams);
  const parsed = MassListQuerySchema.safeParse(raw);
  const q = parsed.success ? parsed.data : MassListQuerySchema.parse({});
  const filter = { ...q.filter, tenantIds: visibleTenantFilter(principal, q.filter.tenantIds) };
  const [{ items, nextCursor }, total] = await Promise.all([
    listMassRequests(filter, { sort: q.sort, limit: q.limit, cursor: q.cursor }),
    countMassRequests(filter),
  ]);
  const rows = items.map((m) => ({
    id: m.id,
    receivedAt: m.receivedAt.toISOString().replace("T", " ").slice(0, 19),
    kind: m.kind,
    tenantId: m.tenantId,
    siteId: m.siteId,
    clusterId: m.clusterId,
    zoneId: m.zoneId,
    requestId: m.requestId,
    status: m.status,
    warnings: Array.isArray(m.warnings) ? m.warnings.length : 0,
    hash: m.payloadHash,
  }));
  const keep = new URLSearchParams(Object.entries(raw).filter(([k, v]) => k !== "cursor" && v));
  const next = new URLSearchParams(keep);
  if (nextCursor) next.set("cursor", nextCursor);

  return (
    <>
      <PageHeader
        title="MASS requests"
        description="Every accepted MASS request, as sent and as normalized. Filters live in the URL: a filtered view is a shareable link."
      />
      <InvalidFilters error={parsed.error} />
      <Card className="mb-4">
        <form method="get" className="grid gap-3 md:grid-cols-8 md:items-end" data-testid="requests-filters">
          {(["tenant_id", "site_id", "cluster_id", "zone_id", "request_id"] as const).map((name) => (
            <div key={name}>
              <Label htmlFor={name}>{name.replace("_id", "").replace("_", " ")}</Label>
              <Input id={name} name={name} defaultValue={raw[name]} />
            </div>
          ))}
          <div>
            <Label htmlFor="status">Status</Label>
            <Select id="status" name="status" defaultValue={raw.status ?? ""}>
              <option value="">any</option>
              {["pending", "processing", "done", "failed"].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor="sort">Sort</Label>
            <Select id="sort" name="sort" defaultValue={q.sort}>
              {SORTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </div>
          <FilterActions resetHref="/requests" />
        </form>
      </Card>
      <Card title={<span data-testid="requests-total">{total} requests</span>}>
        <RequestsTable rows={rows} />
        <CursorPager
          firstHref={q.cursor ? `/requests?${keep.toString()}` : null}
          nextHref={nextCursor ? `/requests?${next.toString()}` : null}
          firstLabel="← First page"
          nextLabel="Next →"
        />
      </Card>
    </>
  );
}
