"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { askBioCore, AskInputSchema, lastDaysWindow } from "@/lib/biocore/ask";
import { reviewRecommendation, ReviewSchema } from "@/lib/biocore/recommendations";
import { AppError } from "@/lib/http/app-error";
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

/**
 * "Ask BioCore" from the recommendations page: the chosen site (or cluster) over the last day or
 * week of its data, or a window of the operator's; answers with the queued job and its request.
 */
export const askBioCoreAction = withAction<{ massRequestId: string; jobId: string; replayed: boolean }>(
  "mass.ingest",
  async ({ principal, form, context }) => {
    const scope = AskFormScope.safeParse(String(form.get("scope") ?? ""));
    if (!scope.success)
      throw new AppError("validation_failed", "Choose a site to ask about", {
        errors: [{ pointer: "/scope", detail: "choose a site (or a cluster) from the list" }],
      });
    const [tenantId, siteId, clusterId] = scope.data;
    const preset = String(form.get("window") ?? "last_day");
    const text = (k: string) => String(form.get(k) ?? "").trim();
    // A datetime-local value is UTC here (the page says so); seconds added when absent.
    const utc = (v: string) => (v ? `${v}${v.length === 16 ? ":00" : ""}Z` : "");
    const window =
      preset === "custom"
        ? { from: utc(text("from")), to: utc(text("to")) }
        : await lastDaysWindow(tenantId, siteId, clusterId, preset === "last_week" ? 7 : 1);
    if (!window)
      throw new AppError("validation_failed", "This site has no stored observations: nothing to ask", {
        errors: [{ pointer: "/scope", detail: "no observations" }],
      });
    const input = AskInputSchema.parse({
      tenant_id: tenantId,
      site_id: siteId,
      ...(clusterId ? { cluster_id: clusterId } : {}),
      ...window,
    });
    const r = await askBioCore(principal, input, context);
    revalidatePath("/recommendations");
    return {
      ok: true,
      data: { massRequestId: r.mass_request_id, jobId: r.job_id, replayed: r.replayed },
      message: `${r.replayed ? "Already asked a moment ago" : "Asked"}: BioCore's answer about ${r.cluster_id ? `${r.site_id} / ${r.cluster_id}` : r.site_id} (${r.snapshot.rows} observation${r.snapshot.rows === 1 ? "" : "s"}, ${r.window.from.slice(0, 16).replace("T", " ")} – ${r.window.to.slice(0, 16).replace("T", " ")} UTC) will appear below once the job has run.`,
    };
  },
);

const AskFormScope = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not a scope" });
      return z.NEVER;
    }
  })
  .pipe(z.tuple([z.string().min(1), z.string().min(1), z.string().min(1).nullable()]));
