// Recommendations in the database: each stored with the call that produced it, read through the
// caller's tenants (never another's), reviewed once, and summed for the dashboard's open savings.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { tenantWhereFor } from "@/lib/access/tenant-scope";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BioCoreResponse } from "../contract";

/** The list filter (lib/biocore/recommendations.ts parses it from a query with zod). */
export type RecommendationQuery = {
  status?: string;
  category?: string;
  site_id?: string;
  cluster_id?: string;
  zone_id?: string;
  tenant_id?: string;
  mass_request_id?: string;
  actionable?: "true" | "false";
  limit?: number;
};

function where(principal: Principal, f: RecommendationQuery): Prisma.RecommendationWhereInput {
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

export function findRecommendations(principal: Principal, f: RecommendationQuery) {
  return db().recommendation.findMany({
    where: where(principal, f),
    orderBy: [{ call: { startedAt: "desc" } }, { priority: "asc" }],
    take: f.limit ?? 100,
  });
}

/** One recommendation of the principal's tenants, with its call and the MASS request it answers; null when none. */
export function findRecommendation(principal: Principal, id: string) {
  return db().recommendation.findFirst({
    where: { id, ...where(principal, {}) },
    include: {
      call: true,
      massRequest: { select: { id: true, requestId: true, correlationId: true, kind: true, receivedAt: true } },
    },
  });
}

/** The review, only while the recommendation is still new; how many rows it moved (0: reviewed meanwhile). */
export async function markReviewed(
  tx: Tx,
  id: string,
  review: { status: "acknowledged" | "dismissed"; comment: string | null; by: string; at: Date },
): Promise<number> {
  const { count } = await tx.recommendation.updateMany({
    where: { id, status: "new" },
    data: { status: review.status, statusComment: review.comment, statusBy: review.by, statusAt: review.at },
  });
  return count;
}

/** Which open recommendations a dashboard scope counts: its tenants and, when chosen, exactly its site, cluster and zone. */
export type OpenSavingsScope = { tenantIds?: string[]; siteId?: string; clusterId?: string; zoneId?: string };

/** The 24 h energy delta (kWh, negative = saving; null when none) and count of open, actionable recommendations. */
export async function sumOpenSavings(
  principal: Principal,
  scope: OpenSavingsScope,
): Promise<{ energyKwh24h: number | null; count: number }> {
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
  return { energyKwh24h: rows._sum.energyKwh24h, count: rows._count };
}

type Recommended = BioCoreResponse["response"]["recommendations"][number];

/** One recommendation of a stored call, in the call's transaction (lib/biocore/store-call.ts). */
export function insertRecommendation(
  tx: Tx,
  input: {
    massRequest: {
      id: string;
      tenantId: string;
      siteId: string | null;
      clusterId: string | null;
      zoneId: string | null;
    };
    callId: string;
    rec: Recommended;
    model: BioCoreResponse["response"]["model"];
    stale: boolean;
    actionable: boolean;
    violations: string[];
    energyKwh24h: number;
  },
): Promise<{ id: string }> {
  const { massRequest: m, rec } = input;
  return tx.recommendation.create({
    data: {
      massRequestId: m.id,
      callId: input.callId,
      tenantId: m.tenantId,
      siteId: m.siteId,
      clusterId: m.clusterId,
      zoneId: m.zoneId,
      recId: rec.rec_id,
      priority: rec.priority,
      category: rec.category,
      action: rec.action as Prisma.InputJsonValue,
      expectedImpact: rec.expected_impact as Prisma.InputJsonValue,
      explainability: rec.explainability as Prisma.InputJsonValue,
      trace: rec.trace as Prisma.InputJsonValue,
      modelName: input.model.name,
      modelVersion: input.model.version,
      policyId: input.model.policy_id,
      stale: input.stale,
      actionable: input.actionable,
      violations: input.violations as Prisma.InputJsonValue,
      energyKwh24h: input.energyKwh24h,
    },
    select: { id: true },
  });
}
