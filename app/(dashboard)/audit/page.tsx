import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { CursorPager, FilterActions, InvalidFilters } from "@/components/filters/filter-bar";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Input, Label, Select } from "@/components/ui/field";
import { requireRole } from "@/lib/auth/require-user";
import { AuditFilterSchema, AuditPageSchema, auditFilterToQuery, firstValues } from "@/lib/audit/audit-filter";
import { countAuditEvents, listAuditEvents } from "@/lib/audit/repo";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { verificationSummary } from "@/lib/audit/verify-text";
import { actorText, detailsText, shortTargetText, utcText } from "@/lib/audit/view";
import { actorKey, actorNames } from "@/lib/users/actor-names";

export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const principal = await requireRole("audit.read");
  const raw = firstValues(await searchParams);
  const parsed = AuditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : AuditFilterSchema.parse({});
  const page = AuditPageSchema.safeParse(raw);
  const cursor = page.success ? page.data.cursor : undefined;
  const limit = page.success ? page.data.limit : 50;
  // Verification seals pending events first, so run it before reading the page.
  const verification = raw.verify === "1" ? await verifyAuditChain() : null;
  const [{ items, nextCursor }, total] = await Promise.all([
    listAuditEvents(principal, filter, { cursor, limit }),
    countAuditEvents(principal, filter),
  ]);
  const names = await actorNames(
    principal,
    items.flatMap((e) => [
      ...(e.actorId ? [{ type: e.actorType, id: e.actorId }] : []),
      ...(e.targetType && e.targetId ? [{ type: e.targetType, id: e.targetId }] : []),
    ]),
  );
  const query = auditFilterToQuery(filter);
  const rows = items.map((e) => ({
    seq: e.seq.toString(),
    occurredAt: utcText(e.occurredAt),
    actor: (e.actorId ? names.get(actorKey(e.actorType, e.actorId)) : undefined) ?? actorText(e),
    actorId: e.actorId ? actorKey(e.actorType, e.actorId) : null,
    action: e.action,
    // A user or token as the target (a user created, a token revoked) by name too.
    target:
      (e.targetType && e.targetId ? names.get(actorKey(e.targetType, e.targetId)) : undefined) ?? shortTargetText(e),
    result: e.result,
    tenantId: e.tenantId,
    ip: e.ip,
    traceId: e.traceId,
    details: detailsText(e),
    hash: e.hash,
  }));
  const withQuery = (extra: Record<string, string>) => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `?${q.toString()}`;
  };

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every sign-in, change and export, append-only and hash-chained: each event carries the hash of the one before it, so any edit or deletion inside the chain is detectable."
        actions={
          <>
            <Link href={withQuery({ verify: "1" })} className={buttonClass("secondary")} data-testid="verify-chain">
              Verify chain
            </Link>
            <a
              href={`/api/v1/audit/export.csv${query ? `?${query}` : ""}`}
              className={buttonClass("secondary")}
              data-testid="export-csv"
            >
              Export CSV
            </a>
            <a
              href={`/api/v1/audit/export.pdf${query ? `?${query}` : ""}`}
              className={buttonClass("secondary")}
              data-testid="export-pdf"
            >
              Export PDF
            </a>
          </>
        }
      />
      {verification ? (
        <div
          role="status"
          data-testid="verify-result"
          className={`mb-4 rounded-md px-3 py-2 text-sm ${verification.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700"}`}
        >
          {verificationSummary(verification)}
        </div>
      ) : null}
      <InvalidFilters error={parsed.error} />
      <Card className="mb-4">
        <form method="get" className="grid gap-3 md:grid-cols-7 md:items-end" data-testid="audit-filters">
          <div>
            <Label htmlFor="from">From (UTC)</Label>
            <Input id="from" name="from" type="datetime-local" defaultValue={raw.from?.slice(0, 16)} />
          </div>
          <div>
            <Label htmlFor="to">To (UTC)</Label>
            <Input id="to" name="to" type="datetime-local" defaultValue={raw.to?.slice(0, 16)} />
          </div>
          <div>
            <Label htmlFor="action">Action starts with</Label>
            <Input id="action" name="action" placeholder="auth." defaultValue={raw.action} />
          </div>
          <div>
            <Label htmlFor="actor">Actor</Label>
            <Input id="actor" name="actor" placeholder="email or id" defaultValue={raw.actor} />
          </div>
          <div>
            <Label htmlFor="result">Result</Label>
            <Select id="result" name="result" defaultValue={raw.result ?? ""}>
              <option value="">any</option>
              <option value="ok">ok</option>
              <option value="denied">denied</option>
              <option value="error">error</option>
            </Select>
          </div>
          <div>
            <Label htmlFor="target_type">Target type</Label>
            <Input id="target_type" name="target_type" placeholder="user" defaultValue={raw.target_type} />
          </div>
          <FilterActions resetHref="/audit" />
        </form>
      </Card>
      <Card title={<span data-testid="audit-total">{total} events</span>}>
        <AuditTable rows={rows} />
        <CursorPager
          firstHref={cursor ? (query ? `?${query}` : "/audit") : null}
          nextHref={nextCursor ? withQuery({ cursor: nextCursor, limit: String(limit) }) : null}
          firstLabel="← Newest"
          nextLabel="Older →"
        />
      </Card>
    </>
  );
}
