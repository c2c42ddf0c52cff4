"use server";

import { revalidatePath } from "next/cache";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { reviewRecommendation, ReviewSchema } from "@/lib/biocore/recommendations";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";

export async function reviewRecommendationAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("recommendation.acknowledge");
    const id = uuidParam(String(form.get("id") ?? ""), "recommendation");
    const input = ReviewSchema.parse({ status: form.get("status"), comment: String(form.get("comment") ?? "") || undefined });
    await reviewRecommendation(principal, id, input, await actionContext());
    revalidatePath(`/recommendations/${id}`);
    return { ok: true, message: input.status === "acknowledged" ? "Acknowledged." : "Dismissed." };
  } catch (error) {
    return actionFailure(error);
  }
}
