// Reading recommendations and reviewing them (new → acknowledged | dismissed, with a comment; audited).
// Recording an outcome and closing its verification move the status on (lib/verification).
import "server-only";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { tenantWhereFor } from "@/lib/access/tenant-scope";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/app-error";
import { RecommendationStatusSchema } from "./serialize";

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

function where(principal: Principal, f: Partial<RecommendationFilter>): Prisma.RecommendationWhereInput {
  return {
    ...tenantWhereFor(principal, f.tenant_id),
    ...(f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.site_id ? { siteId: f.site_id } : {}),
    ...(f.cluster_id ? { clusterId: f.cluster_id } : {}),
    ...(f.zone_id ? { zoneId: f.zone_id } : {}),
    ...(f.mass_request_id ? { massRequestId: f.mass_request_id } : {}),
    ...(f.actionable ? { actionable: f.actionable === "true" } : {}),
    massRequest: { deletedAt: null },
  };
}

export function listRecommendations(principal: Principal, f: Partial<RecommendationFilter>) {
  return db().recommendation.findMany({
    where: where(principal, f),
    orderBy: [{ call: { startedAt: "desc" } }, { priority: "asc" }],
    take: f.limit ?? 100,
  });
}

export async function getRecommendationOrThrow(principal: Principal, id: string) {
  const found = await db().recommendation.findFirst({
    where: { id, ...where(principal, {}) },
    include: {
      call: true,
      massRequest: { select: { id: true, requestId: true, correlationId: true, kind: true, receivedAt: true } },
    },
  });
  if (!found) throw new AppError("not_found", "No such recommendation");
  return found;
}

/** The calls made for a MASS request, newest first (the call log of a recommendation's request). */
export function listCallsForRequest(massRequestId: string) {
  return db().biocoreCall.findMany({ where: { massRequestId }, orderBy: { startedAt: "desc" }, take: 50 });
}

export async function reviewRecommendation(
  principal: Principal,
  id: string,
  input: z.infer<typeof ReviewSchema>,
  context: RequestContext,
) {
  const current = await getRecommendationOrThrow(principal, id);
  if (current.status !== "new") throw new AppError("conflict", `This recommendation was already ${current.status}`);
  const by = `${principal.kind}:${principal.id}`;
  await db().$transaction(async (tx) => {
    const { count } = await tx.recommendation.updateMany({
      where: { id, status: "new" },
      data: { status: input.status, statusComment: input.comment ?? null, statusBy: by, statusAt: new Date() },
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

/** Which open recommendations a dashboard scope counts: its tenants and, when chosen, exactly its site, cluster and zone. */
export type OpenSavingsScope = { tenantIds?: string[]; siteId?: string; clusterId?: string; zoneId?: string };

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
  const rows = await db().recommendation.aggregate({
    where: {
      ...where(principal, {}),
      ...(scope.tenantIds ? { tenantId: { in: scope.tenantIds } } : {}),
      ...(scope.siteId ? { siteId: scope.siteId } : {}),
      ...(scope.clusterId ? { clusterId: scope.clusterId } : {}),
      ...(scope.zoneId ? { zoneId: scope.zoneId } : {}),
      status: { in: ["new", "acknowledged"] },
      actionable: true,
    },
    _sum: { energyKwh24h: true },
    _count: true,
  });
  // 0 − x, not −x: no savings is 0 kWh, not "-0 kWh".
  return { kwh: 0 - (rows._sum.energyKwh24h ?? 0), count: rows._count };
}
