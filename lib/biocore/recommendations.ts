// Reading recommendations and reviewing them (new → acknowledged | dismissed, with a comment; audited).
// Recording an outcome and closing its verification move the status on (lib/verification).
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import {
  findRecommendation,
  findRecommendations,
  markReviewed,
  sumOpenSavings,
  type OpenSavingsScope,
} from "./repo/recommendations";
import { inTransaction } from "./repo/transaction";
import { RecommendationStatusSchema } from "./serialize";

export type { OpenSavingsScope };

const text = z.string().trim().min(1).max(64).optional();
export const RecommendationFilterSchema = z.object({
  status: RecommendationStatusSchema.optional(),
  category: text,
  site_id: text,
  cluster_id: text,
  zone_id: text,
  tenant_id: text,
  mass_request_id: z.uuid().optional(),
  actionable: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type RecommendationFilter = z.infer<typeof RecommendationFilterSchema>;

export const ReviewSchema = z.strictObject({
  status: z.enum(["acknowledged", "dismissed"]),
  comment: z.string().trim().max(2000).optional(),
});

export function listRecommendations(principal: Principal, f: Partial<RecommendationFilter>) {
  return findRecommendations(principal, f);
}

export async function getRecommendationOrThrow(principal: Principal, id: string) {
  const found = await findRecommendation(principal, id);
  if (!found) throw new AppError("not_found", "No such recommendation");
  return found;
}

// The call log of a recommendation's request: a read of the call log, kept under this name for its pages.
export { listCallsForRequest } from "./repo/calls";

export async function reviewRecommendation(
  principal: Principal,
  id: string,
  input: z.infer<typeof ReviewSchema>,
  context: RequestContext,
) {
  const current = await getRecommendationOrThrow(principal, id);
  if (current.status !== "new") throw new AppError("conflict", `This recommendation was already ${current.status}`);
  const by = `${principal.kind}:${principal.id}`;
  await inTransaction(async (tx) => {
    const count = await markReviewed(tx, id, {
      status: input.status,
      comment: input.comment ?? null,
      by,
      at: new Date(),
    });
    if (count !== 1) throw new AppError("conflict", "The recommendation was reviewed meanwhile; read it again");
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: `recommendation.${input.status === "acknowledged" ? "acknowledge" : "dismiss"}`,
      targetType: "recommendation",
      targetId: id,
      tenantId: current.tenantId,
      inputs: { comment: input.comment ?? null, rec_id: current.recId, mass_request_id: current.massRequestId },
      context,
    });
  });
  return getRecommendationOrThrow(principal, id);
}

/**
 * Estimated 24 h savings of open (new or acknowledged), actionable recommendations, kWh (positive =
 * saving). Implemented, rejected and verified ones are not open. A recommendation counts under a
 * site, cluster or zone filter only when it names that asset: a site-wide estimate is not a
 * cluster's. Open means now: a dashboard period does not apply.
 */
export async function openSavings24h(
  principal: Principal,
  scope: OpenSavingsScope = {},
): Promise<{ kwh: number; count: number }> {
  const rows = await sumOpenSavings(principal, scope);
  // 0 − x, not −x: no savings is 0 kWh, not "-0 kWh".
  return { kwh: 0 - (rows.energyKwh24h ?? 0), count: rows.count };
}
