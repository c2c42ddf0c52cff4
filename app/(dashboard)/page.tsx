import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/auth/permissions";
import { requireRole } from "@/lib/auth/require-user";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const principal = await requireRole("dashboard.read");
  return (
    <>
      <PageHeader
        title="Overview"
        description="Energy KPIs, trends and before/after comparisons appear here once telemetry is ingested. The pilot only observes: it never sends a control action."
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Connect a collector">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>An admin creates an API token under <em>Administration → API tokens</em>.</li>
            <li>The collector sends requests with <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;token&gt;</code>.</li>
            <li>Every request and change is recorded in the tamper-evident audit trail.</li>
          </ol>
          {allowed(principal, "token.manage") ? (
            <Link href="/admin/tokens" className="mt-3 inline-block text-sm font-medium text-brand-700 hover:underline">
              Manage API tokens →
            </Link>
          ) : null}
        </Card>
        <Card title="Your access">
          <dl className="grid grid-cols-3 gap-y-1 text-sm">
            <dt className="text-slate-500">Signed in as</dt>
            <dd className="col-span-2">{principal.label}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="col-span-2">{principal.role}</dd>
            <dt className="text-slate-500">Tenants</dt>
            <dd className="col-span-2">{principal.tenantIds.length ? principal.tenantIds.join(", ") : "all"}</dd>
          </dl>
        </Card>
      </div>
    </>
  );
}
