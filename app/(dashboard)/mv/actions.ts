"use server";

import { uuidParam } from "@/lib/http/params";
import { withAction } from "@/lib/handlers/with-action";
import { runStudy } from "@/lib/mv/run-study";
import { assertScopeInData } from "@/lib/mv/scope-choices";
import { studySpecFromForm } from "@/lib/mv/study-form";
import { CreateStudySchema, createStudy, getStudyOrThrow, ReviseStudySchema, reviseStudy } from "@/lib/mv/studies";

export const createStudyAction = withAction("mv.write", async ({ principal, form, context }) => {
  const input = CreateStudySchema.parse({
    tenant_id: form.get("tenant_id"),
    name: form.get("name"),
    spec: studySpecFromForm(form),
  });
  // The form's selects offer only what the data holds; a hand-made post is checked the same way.
  await assertScopeInData(principal, input.tenant_id, input.spec.scope);
  return { redirectTo: `/mv/studies/${(await createStudy(principal, input, context)).id}` };
});

export const reviseStudyAction = withAction("mv.write", async ({ principal, form, context }) => {
  const id = uuidParam(String(form.get("study_id") ?? ""), "M&V study");
  const input = ReviseStudySchema.parse({
    name: form.get("name") || undefined,
    note: form.get("note") || undefined,
    spec: studySpecFromForm(form),
  });
  await assertScopeInData(principal, (await getStudyOrThrow(principal, id)).tenantId, input.spec.scope);
  await reviseStudy(principal, id, input, context);
  return { redirectTo: `/mv/studies/${id}` };
});

export const runStudyAction = withAction("mv.write", async ({ principal, form, context }) => {
  const id = uuidParam(String(form.get("study_id") ?? ""), "M&V study");
  const revision = form.get("revision") ? Number(form.get("revision")) : undefined;
  return { redirectTo: `/mv/reports/${(await runStudy(principal, id, revision, context)).id}` };
});
