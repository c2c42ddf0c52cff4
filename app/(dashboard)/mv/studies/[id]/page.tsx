import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunStudyButton } from "@/components/mv/run-button";
import { SpecSummary } from "@/components/mv/spec-summary";
import { StudyForm } from "@/components/mv/study-form";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/tables/table";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { allowed } from "@/lib/access/permissions";
import { requireRole } from "@/lib/auth/require-user";
import { actorNamer } from "@/lib/users/actor-names";
import { studyFormChoices } from "@/lib/mv/form-choices";
import { findStudy } from "@/lib/mv/repo";
import { serializeStudy } from "@/lib/mv/serialize";
import { specDefaults } from "@/lib/mv/study-form";
import { reviseStudyAction, runStudyAction } from "../../actions";
import { formatKwh } from "@/lib/format";

export const metadata: Metadata = { title: "M&V study" };

export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireRole("mv.read");
  const { id } = await params;
  const found = /^[0-9a-f-]{36}$/i.test(id) ? await findStudy(principal, id) : null;
  if (!found) notFound();
  const study = serializeStudy(found);
  const current = study.revisions[0]!;
  const canWrite = allowed(principal, "mv.write");
  const name = await actorNamer(principal, [study.created_by]);
  const choices = canWrite ? await studyFormChoices(principal) : null;
  return (
    <>
      <PageHeader
        title={study.name}
        description={`Tenant ${study.tenant_id} · revision ${study.current_revision} · created ${study.created_at.slice(0, 16).replace("T", " ")} UTC by ${name(study.created_by)}`}
        actions={canWrite ? <RunStudyButton studyId={study.id} serverAction={runStudyAction} /> : null}
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title={`Revision ${current.revision} (current)`}>
          <SpecSummary spec={current.spec} />
        </Card>
        <Card title="Reports">
          {study.reports.length === 0 ? (
            <p className="text-sm text-slate-600">Not run yet.</p>
          ) : (
            <Table label="Reports" testId="reports">
              <THead>
                <Th>Computed (UTC)</Th>
                <Th numeric>Rev.</Th>
                <Th numeric>Avoided ± 90 %</Th>
                <Th>Criteria</Th>
                <Th>Results hash</Th>
              </THead>
              <TBody>
                {study.reports.map((r) => (
                  <Tr key={r.id}>
                    <Td className="whitespace-nowrap">
                      <Link className="text-brand-700 underline" href={`/mv/reports/${r.id}`}>
                        {r.created_at.slice(0, 19).replace("T", " ")}
                      </Link>
                    </Td>
                    <Td numeric>{r.revision}</Td>
                    <Td numeric>
                      {formatKwh(r.avoided_kwh)} ± {formatKwh(r.calibrated90_kwh ?? r.uncertainty90_kwh)}
                      {r.calibrated90_kwh === null ? (
                        <span className="block text-xs text-slate-500">Guideline 14 band (not calibrated)</span>
                      ) : null}
                    </Td>
                    <Td>
                      <Badge tone={r.pass ? "green" : "amber"}>{r.pass ? "met" : "not met"}</Badge>
                    </Td>
                    <Td className="font-mono text-xs">{r.results_hash.slice(0, 12)}…</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
      {study.revisions.length > 1 ? (
        <Card title="Earlier revisions" className="mt-4">
          <div className="space-y-3">
            {study.revisions.slice(1).map((r) => (
              <details key={r.revision} className="rounded-md ring-1 ring-slate-200">
                <summary className="cursor-pointer px-3 py-2 text-sm">
                  Revision {r.revision} · {r.name} · {r.created_at.slice(0, 16).replace("T", " ")} UTC
                  {r.note ? ` · ${r.note}` : ""}
                </summary>
                <div className="flex flex-wrap items-start justify-between gap-4 px-3 pb-3">
                  <SpecSummary spec={r.spec} />
                  {canWrite ? (
                    <RunStudyButton
                      studyId={study.id}
                      revision={r.revision}
                      label={`Run revision ${r.revision}`}
                      serverAction={runStudyAction}
                    />
                  ) : null}
                </div>
              </details>
            ))}
          </div>
        </Card>
      ) : null}
      {canWrite && choices ? (
        <Card title="Edit (saves a new revision)" className="mt-4">
          <details>
            <summary className="cursor-pointer text-sm text-brand-700">Show the form</summary>
            <div className="mt-3">
              <StudyForm
                serverAction={reviseStudyAction}
                mode="revise"
                studyId={study.id}
                defaults={specDefaults(study.name, study.tenant_id, current.spec)}
                versions={choices.versions.filter((v) => v.tenantId === study.tenant_id)}
                tenants={[study.tenant_id]}
                scopes={choices.scopes}
              />
            </div>
          </details>
        </Card>
      ) : null}
    </>
  );
}
