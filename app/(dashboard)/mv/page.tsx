import type { Metadata } from "next";
import Link from "next/link";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { listStudies } from "@/lib/mv/repo";
import { serializeStudyList } from "@/lib/mv/serialize";
import { formatKwh } from "@/lib/format";

export const metadata: Metadata = { title: "M&V studies" };

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
          <Table label="M&V studies" testId="studies">
            <THead>
              <Th>Study</Th>
              <Th>Tenant</Th>
              <Th numeric>Revision</Th>
              <Th numeric>Latest avoided energy (± 90 %)</Th>
              <Th>Criteria</Th>
              <Th>Created</Th>
            </THead>
            <TBody>
              {items.map((s) => (
                <Tr key={s.id}>
                  <Td>
                    <Link className="text-brand-700 underline" href={`/mv/studies/${s.id}`}>
                      {s.name}
                    </Link>
                  </Td>
                  <Td>{s.tenant_id}</Td>
                  <Td numeric>{s.current_revision}</Td>
                  <Td numeric>
                    {s.latest_report
                      ? `${formatKwh(s.latest_report.avoided_kwh)} ± ${formatKwh(s.latest_report.uncertainty90_kwh)}`
                      : "not run yet"}
                  </Td>
                  <Td>
                    {s.latest_report ? (
                      <Badge tone={s.latest_report.pass ? "green" : "amber"}>
                        {s.latest_report.pass ? "met" : "not met"}
                      </Badge>
                    ) : (
                      "—"
                    )}
                  </Td>
                  <Td className="text-xs whitespace-nowrap text-slate-600">
                    {s.created_at.slice(0, 16).replace("T", " ")}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}
