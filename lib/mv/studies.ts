// Creating and revising studies, each in one transaction with its audit event. A study's tenant is
// fixed at creation; the principal must be allowed to see it, and pinned dataset versions must be
// ready versions of that tenant.
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { assertTenantAccess } from "@/lib/auth/tenant-scope";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/app-error";
import { advanceRevision, findStudy, findVersions, insertRevision, insertStudy } from "./repo";
import { StudySpecSchema, type StudySpec } from "./spec";

const Name = z.string().trim().min(1).max(200);
export const CreateStudySchema = z.strictObject({ tenant_id: z.string().trim().toLowerCase().min(1).max(64), name: Name, spec: StudySpecSchema });
export const RunStudySchema = z.strictObject({ revision: z.number().int().min(1).optional() });
export const ReviseStudySchema = z.strictObject({ name: Name.optional(), note: z.string().trim().max(1000).optional(), spec: StudySpecSchema });

async function assertVersions(tenantId: string, spec: StudySpec): Promise<void> {
  const ids = [...new Set(spec.source.datasetVersionIds)];
  if (ids.length === 0) return;
  const found = new Set((await findVersions(tenantId, ids)).map((v) => v.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError("validation_failed", "Some dataset versions are not ready versions of this tenant", {
      errors: missing.map((id) => ({ pointer: `/spec/source/datasetVersionIds/${spec.source.datasetVersionIds.indexOf(id)}`, detail: `no ready dataset version ${id} in tenant` })),
    });
  }
}

export async function getStudyOrThrow(principal: Principal, id: string) {
  const study = await findStudy(principal, id);
  if (!study) throw new AppError("not_found", "No such M&V study");
  return study;
}

export async function createStudy(principal: Principal, input: z.infer<typeof CreateStudySchema>, context: RequestContext) {
  assertTenantAccess(principal, input.tenant_id);
  await assertVersions(input.tenant_id, input.spec);
  const id = await db().$transaction(async (tx) => {
    const by = { createdByType: principal.kind, createdById: principal.id };
    const study = await insertStudy(tx, { tenantId: input.tenant_id, name: input.name, ...by });
    await insertRevision(tx, { studyId: study.id, revision: 1, name: input.name, spec: input.spec as Prisma.InputJsonValue, note: null, ...by });
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mv.study.create",
      targetType: "mv_study",
      targetId: study.id,
      tenantId: input.tenant_id,
      inputs: { name: input.name, spec: input.spec },
      context,
    });
    return study.id;
  });
  return getStudyOrThrow(principal, id);
}

export async function reviseStudy(principal: Principal, id: string, input: z.infer<typeof ReviseStudySchema>, context: RequestContext) {
  const study = await getStudyOrThrow(principal, id);
  await assertVersions(study.tenantId, input.spec);
  const name = input.name ?? study.name;
  await db().$transaction(async (tx) => {
    if (!(await advanceRevision(tx, id, study.currentRevision, name))) throw new AppError("conflict", "The study was revised meanwhile; read it again");
    const by = { createdByType: principal.kind, createdById: principal.id };
    await insertRevision(tx, { studyId: id, revision: study.currentRevision + 1, name, spec: input.spec as Prisma.InputJsonValue, note: input.note ?? null, ...by });
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mv.study.revise",
      targetType: "mv_study",
      targetId: id,
      tenantId: study.tenantId,
      inputs: { revision: study.currentRevision + 1, name, note: input.note ?? null, spec: input.spec },
      context,
    });
  });
  return getStudyOrThrow(principal, id);
}
