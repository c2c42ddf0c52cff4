// Creating and revising studies, each in one transaction with its audit event. A study's tenant is
// fixed at creation; the principal must be allowed to see it, and pinned dataset versions must be
// ready versions of that tenant.
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { assertTenantAccess } from "@/lib/access/tenant-scope";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type AuditActor, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import {
  advanceRevision,
  findStudy,
  findVersions,
  inTransaction,
  insertRevision,
  insertStudy,
  type MvTx,
} from "./repo";
import {
  ConventionsSchema,
  DEFAULT_CONVENTIONS,
  LEGACY_CONVENTIONS,
  StudySpecSchema,
  type Conventions,
  type StudySpec,
} from "./spec";

const Name = z.string().trim().min(1).max(200);
export const CreateStudySchema = z.strictObject({
  tenant_id: z.string().trim().toLowerCase().min(1).max(64),
  name: Name,
  spec: StudySpecSchema,
});
export const RunStudySchema = z.strictObject({ revision: z.number().int().min(1).optional() });
export const ReviseStudySchema = z.strictObject({
  name: Name.optional(),
  note: z.string().trim().max(1000).optional(),
  spec: StudySpecSchema,
});

async function assertVersions(tenantId: string, spec: StudySpec): Promise<void> {
  const ids = [...new Set(spec.source.datasetVersionIds)];
  if (ids.length === 0) return;
  const found = new Set((await findVersions(tenantId, ids)).map((v) => v.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError("validation_failed", "Some dataset versions are not ready versions of this tenant", {
      errors: missing.map((id) => ({
        pointer: `/spec/source/datasetVersionIds/${spec.source.datasetVersionIds.indexOf(id)}`,
        detail: `no ready dataset version ${id} in tenant`,
      })),
    });
  }
}

/**
 * A specification as stored: always with its conventions, so a later change of the defaults never
 * changes what it computes. Without a block, a new study gets the current defaults and a revision
 * keeps the conventions of the revision it follows (the legacy ones if that one predates them).
 */
export function withConventions<S extends StudySpec>(spec: S, previous?: unknown): S & { conventions: Conventions } {
  if (spec.conventions) return spec as S & { conventions: Conventions };
  if (previous === undefined) return { ...spec, conventions: DEFAULT_CONVENTIONS };
  const prior = (previous as { conventions?: unknown } | null)?.conventions;
  return { ...spec, conventions: prior === undefined ? LEGACY_CONVENTIONS : ConventionsSchema.parse(prior) };
}

export async function getStudyOrThrow(principal: Principal, id: string) {
  const study = await findStudy(principal, id);
  if (!study) throw new AppError("not_found", "No such M&V study");
  return study;
}

/** Who writes a study or report: the audit actor and the created_by columns (a principal, or the system). */
export type Author = { actor: AuditActor; byType: string; byId: string };
export const authorOf = (principal: Principal): Author => ({
  actor: actorOf(principal),
  byType: principal.kind,
  byId: principal.id,
});

/** A new study with revision 1 and its audit event, inside the caller's transaction. */
export async function insertStudyWithAudit(
  tx: MvTx,
  author: Author,
  input: z.infer<typeof CreateStudySchema>,
  context: RequestContext | null,
): Promise<string> {
  await assertVersions(input.tenant_id, input.spec);
  const spec = withConventions(input.spec);
  const by = { createdByType: author.byType, createdById: author.byId };
  const study = await insertStudy(tx, { tenantId: input.tenant_id, name: input.name, ...by });
  await insertRevision(tx, {
    studyId: study.id,
    revision: 1,
    name: input.name,
    spec,
    note: null,
    ...by,
  });
  await recordAudit(tx, {
    actor: author.actor,
    action: "mv.study.create",
    targetType: "mv_study",
    targetId: study.id,
    tenantId: input.tenant_id,
    inputs: { name: input.name, spec },
    context,
  });
  return study.id;
}

export async function createStudy(
  principal: Principal,
  input: z.infer<typeof CreateStudySchema>,
  context: RequestContext,
) {
  assertTenantAccess(principal, input.tenant_id);
  const id = await inTransaction((tx) => insertStudyWithAudit(tx, authorOf(principal), input, context));
  return getStudyOrThrow(principal, id);
}

/** A new revision by the system (e.g. the verification pass pinning newer data), audited. */
export async function reviseStudyAs(
  author: Author,
  study: { id: string; tenantId: string; name: string; currentRevision: number },
  spec: StudySpec,
  note: string,
): Promise<boolean> {
  await assertVersions(study.tenantId, spec);
  return inTransaction(async (tx) => {
    if (!(await advanceRevision(tx, study.id, study.currentRevision, study.name))) return false;
    const by = { createdByType: author.byType, createdById: author.byId };
    await insertRevision(tx, {
      studyId: study.id,
      revision: study.currentRevision + 1,
      name: study.name,
      spec,
      note,
      ...by,
    });
    await recordAudit(tx, {
      actor: author.actor,
      action: "mv.study.revise",
      targetType: "mv_study",
      targetId: study.id,
      tenantId: study.tenantId,
      inputs: { revision: study.currentRevision + 1, name: study.name, note, spec },
      context: null,
    });
    return true;
  });
}

export async function reviseStudy(
  principal: Principal,
  id: string,
  input: z.infer<typeof ReviseStudySchema>,
  context: RequestContext,
) {
  const study = await getStudyOrThrow(principal, id);
  await assertVersions(study.tenantId, input.spec);
  const spec = withConventions(input.spec, study.revisions[0]?.spec ?? null);
  const name = input.name ?? study.name;
  await inTransaction(async (tx) => {
    if (!(await advanceRevision(tx, id, study.currentRevision, name)))
      throw new AppError("conflict", "The study was revised meanwhile; read it again");
    const by = { createdByType: principal.kind, createdById: principal.id };
    await insertRevision(tx, {
      studyId: id,
      revision: study.currentRevision + 1,
      name,
      spec,
      note: input.note ?? null,
      ...by,
    });
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mv.study.revise",
      targetType: "mv_study",
      targetId: id,
      tenantId: study.tenantId,
      inputs: { revision: study.currentRevision + 1, name, note: input.note ?? null, spec },
      context,
    });
  });
  return getStudyOrThrow(principal, id);
}
