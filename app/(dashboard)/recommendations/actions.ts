"use server";

import { revalidatePath } from "next/cache";
import { reviewRecommendation, ReviewSchema } from "@/lib/biocore/recommendations";
import { retryFailedJobs } from "@/lib/biocore/retry-failed";
import { withAction } from "@/lib/handlers/with-action";
import { uuidParam } from "@/lib/http/params";
import { ImplementationInputSchema } from "@/lib/verification/implement";
import { implementRecommendation } from "@/lib/verification/implementations";

export const reviewRecommendationAction = withAction(
  "recommendation.acknowledge",
  async ({ principal, form, context }) => {
    const id = uuidParam(String(form.get("id") ?? ""), "recommendation");
    const input = ReviewSchema.parse({
      status: form.get("status"),
      comment: String(form.get("comment") ?? "") || undefined,
    });
    await reviewRecommendation(principal, id, input, context);
    revalidatePath(`/recommendations/${id}`);
    return { ok: true, message: input.status === "acknowledged" ? "Acknowledged." : "Dismissed." };
  },
);

export const recordImplementationAction = withAction(
  "recommendation.acknowledge",
  async ({ principal, form, context }) => {
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
    await implementRecommendation(principal, id, input, context);
    revalidatePath(`/recommendations/${id}`);
    return {
      ok: true,
      message:
        input.outcome === "implemented"
          ? "Recorded as implemented; verification study created."
          : "Recorded as rejected.",
    };
  },
);

export const retryFailedJobsAction = withAction("mass.ingest", async ({ principal, context }) => {
  const { retried } = await retryFailedJobs(principal, context);
  revalidatePath("/recommendations");
  return {
    ok: true,
    message:
      retried === 0
        ? "No failed job of your tenants to retry."
        : `${retried} job${retried === 1 ? "" : "s"} back in the queue: BioCore will be asked again in a moment.`,
  };
});
