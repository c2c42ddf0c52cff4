// A recommendation's implementation as callers see it: record it (analyst, admin), read it with its
// verification and predicted vs verified, and check its verification now.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import type { RequestContext } from "@/lib/audit/types";
import { getRecommendationOrThrow } from "@/lib/biocore/recommendations";
import { AppError } from "@/lib/http/app-error";
import { authorOf } from "@/lib/mv/studies";
import { logger } from "@/lib/observability/logger";
import type { PredictedImpact } from "./compare";
import { recordImplementation, type ImplementationInput } from "./implement";
import { findImplementationOfRecommendation } from "./repo";
import { serializeImplementation, type ImplementationView } from "./serialize";
import { checkVerification } from "./verify";

export async function getImplementationView(
  principal: Principal,
  recommendationId: string,
): Promise<ImplementationView | null> {
  const rec = await getRecommendationOrThrow(principal, recommendationId);
  const impl = await findImplementationOfRecommendation(rec.id);
  return impl ? serializeImplementation(impl, rec.expectedImpact as PredictedImpact, rec.action) : null;
}

export async function getImplementationViewOrThrow(
  principal: Principal,
  recommendationId: string,
): Promise<ImplementationView> {
  const view = await getImplementationView(principal, recommendationId);
  if (!view) throw new AppError("not_found", "Nothing was recorded yet about what was done with this recommendation");
  return view;
}

/** Records the outcome, then checks the verification at once (a failure there is logged; the pass retries). */
export async function implementRecommendation(
  principal: Principal,
  recommendationId: string,
  input: ImplementationInput,
  context: RequestContext,
): Promise<ImplementationView> {
  const rec = await getRecommendationOrThrow(principal, recommendationId);
  const id = await recordImplementation(authorOf(principal), rec, input, context);
  if (input.outcome === "implemented")
    await checkVerification(id).catch((error: unknown) =>
      logger.warn("first verification check failed; the pass retries", { implementation_id: id, error }),
    );
  return getImplementationViewOrThrow(principal, recommendationId);
}

export async function checkVerificationNow(
  principal: Principal,
  recommendationId: string,
): Promise<ImplementationView> {
  const rec = await getRecommendationOrThrow(principal, recommendationId);
  const impl = await findImplementationOfRecommendation(rec.id);
  if (!impl || impl.outcome !== "implemented")
    throw new AppError("not_found", "This recommendation has no implementation to verify");
  await checkVerification(impl.id);
  return getImplementationViewOrThrow(principal, recommendationId);
}
