"use server";

import { redirect } from "next/navigation";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";
import { runStudy } from "@/lib/mv/run-study";
import { studySpecFromForm } from "@/lib/mv/study-form";
import { CreateStudySchema, createStudy, ReviseStudySchema, reviseStudy } from "@/lib/mv/studies";

export async function createStudyAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  let id: string;
  try {
    const principal = await requireRole("mv.write");
    const input = CreateStudySchema.parse({
      tenant_id: form.get("tenant_id"),
      name: form.get("name"),
      spec: studySpecFromForm(form),
    });
    id = (await createStudy(principal, input, await actionContext())).id;
  } catch (error) {
    return actionFailure(error);
  }
  redirect(`/mv/studies/${id}`);
}

export async function reviseStudyAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  let id: string;
  try {
    const principal = await requireRole("mv.write");
    id = uuidParam(String(form.get("study_id") ?? ""), "M&V study");
    const input = ReviseStudySchema.parse({
      name: form.get("name") || undefined,
      note: form.get("note") || undefined,
      spec: studySpecFromForm(form),
    });
    await reviseStudy(principal, id, input, await actionContext());
  } catch (error) {
    return actionFailure(error);
  }
  redirect(`/mv/studies/${id}`);
}

export async function runStudyAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  let reportId: string;
  try {
    const principal = await requireRole("mv.write");
    const id = uuidParam(String(form.get("study_id") ?? ""), "M&V study");
    const revision = form.get("revision") ? Number(form.get("revision")) : undefined;
    reportId = (await runStudy(principal, id, revision, await actionContext())).id;
  } catch (error) {
    return actionFailure(error);
  }
  redirect(`/mv/reports/${reportId}`);
}
