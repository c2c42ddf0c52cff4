"use server";

import { revalidatePath } from "next/cache";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { reAsk } from "@/lib/biocore/re-ask";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";

export async function reAskAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("mass.ingest");
    const id = uuidParam(String(form.get("id") ?? ""), "MASS request");
    await reAsk(principal, id, await actionContext());
    revalidatePath(`/requests/${id}`);
    return { ok: true, message: "Queued: BioCore will be asked again in a moment (reload to see the answer)." };
  } catch (error) {
    return actionFailure(error);
  }
}
