import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { listStudies } from "@/lib/mv/repo";
import { serializeStudyList } from "@/lib/mv/serialize";

export const metadata: Metadata = { title: "M&V studies" };

const kwh = (v: number) => `${v.toLocaleString("en", { maximumFractionDigits: 0 })} kWh`;

export default async function MvStudiesPage() {
  const principal = await requireRole("mv.read");
  const { items } = serializeStudyList(await listStudies(principal));
  return (
    <>
      <PageHeader
        title="M&V studies"
        description="Measurement and verification of savings: a baseline model fitted before a change projects what would have been used after it; the difference is the avoided energy, with its uncertainty (ASHRAE Guideline 14, IPMVP Options B and C)."
        actions={
          allowed(principal, "mv.write") ? (
            <Link className={buttonClass()} href="/mv/new">
              New study
            </Link>
          ) : null
        }
      />
      <Card>
        {items.length === 0 ? (
          <p className="text-sm text-slate-600">
            No studies yet. Start one here, or from the Before / after page around an event.
          </p>
        ) : (
          <table className="min-w-full text-sm" data-testid="studies">
            <thead className="border-b border-slate-200 text-left text-xs text-slate-500">
              <tr>
                <th className="px-2 py-2 font-medium">Study</th>
                <th className="px-2 py-2 font-medium">Tenant</th>
                <th className="px-2 py-2 font-medium">Revision</th>
                <th className="px-2 py-2 text-right font-medium">Latest avoided energy (± 90 %)</th>
                <th className="px-2 py-2 font-medium">Criteria</th>
                <th className="px-2 py-2 font-medium">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((s) => (
                <tr key={s.id}>
                  <td className="px-2 py-1.5">
                    <Link className="text-brand-700 underline" href={`/mv/studies/${s.id}`}>
                      {s.name}
                    </Link>
                  </td>
                  <td className="px-2 py-1.5">{s.tenant_id}</td>
                  <td className="px-2 py-1.5">{s.current_revision}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">
                    {s.latest_report
                      ? `${kwh(s.latest_report.avoided_kwh)} ± ${kwh(s.latest_report.uncertainty90_kwh)}`
                      : "not run yet"}
                  </td>
                  <td className="px-2 py-1.5">
                    {s.latest_report ? (
                      <Badge tone={s.latest_report.pass ? "green" : "amber"}>
                        {s.latest_report.pass ? "met" : "not met"}
                      </Badge>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-2 py-1.5 text-xs text-slate-600">{s.created_at.slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
