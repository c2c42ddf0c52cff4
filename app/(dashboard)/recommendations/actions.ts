"use server";

import { revalidatePath } from "next/cache";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { reviewRecommendation, ReviewSchema } from "@/lib/biocore/recommendations";
import { retryFailedJobs } from "@/lib/biocore/retry-failed";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";
import { ImplementationInputSchema } from "@/lib/verification/implement";
import { implementRecommendation } from "@/lib/verification/implementations";

export async function reviewRecommendationAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("recommendation.acknowledge");
    const id = uuidParam(String(form.get("id") ?? ""), "recommendation");
    const input = ReviewSchema.parse({
      status: form.get("status"),
      comment: String(form.get("comment") ?? "") || undefined,
    });
    await reviewRecommendation(principal, id, input, await actionContext());
    revalidatePath(`/recommendations/${id}`);
    return { ok: true, message: input.status === "acknowledged" ? "Acknowledged." : "Dismissed." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function recordImplementationAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("recommendation.acknowledge");
    const id = uuidParam(String(form.get("id") ?? ""), "recommendation");
    const outcome = form.get("outcome");
    const text = (k: string) => String(form.get(k) ?? "").trim() || undefined;
    const applied = text("applied_value");
    const effective = text("effective_at");
    const input = ImplementationInputSchema.parse(
      outcome === "rejected"
        ? { outcome, reason: text("reason") }
        : {
            outcome,
            effective_at: effective ? `${effective}${effective.length === 16 ? ":00" : ""}Z` : undefined,
            applied_value: applied === undefined ? undefined : Number(applied),
            note: text("note"),
          },
    );
    await implementRecommendation(principal, id, input, await actionContext());
    revalidatePath(`/recommendations/${id}`);
    return {
      ok: true,
      message:
        input.outcome === "implemented"
          ? "Recorded as implemented; verification study created."
          : "Recorded as rejected.",
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function retryFailedJobsAction(_prev: ActionResult | null): Promise<ActionResult> {
  try {
    const principal = await requireRole("mass.ingest");
    const { retried } = await retryFailedJobs(principal, await actionContext());
    revalidatePath("/recommendations");
    return {
      ok: true,
      message:
        retried === 0
          ? "No failed job of your tenants to retry."
          : `${retried} job${retried === 1 ? "" : "s"} back in the queue: BioCore will be asked again in a moment.`,
    };
  } catch (error) {
    return actionFailure(error);
  }
}
