// Implementations of recommendations, what their verification reads, its transactions and the
// pass's lock: the only verification file that talks to Prisma.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { tenantWhereFor } from "@/lib/access/tenant-scope";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export type { Tx };

/**
 * One transaction of the verification domain: its files open it here and hand the handle on (to
 * this file's functions, to recordAudit and the M&V study's insert), never reaching the client.
 */
export function inTransaction<T>(
  work: (tx: Tx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  return options ? db().$transaction(work, options) : db().$transaction(work);
}

/** The verification pass's transaction-scoped advisory lock, if no other replica holds it (lib/verification/worker.ts). */
export async function tryPassLock(tx: Tx, key: number): Promise<boolean> {
  const [got] = await tx.$queryRaw<{ ok: boolean }[]>`select pg_try_advisory_xact_lock(${key}) as ok`;
  return Boolean(got?.ok);
}

/**
 * The recommendation's status follows what happened to it: implemented or rejected when recorded,
 * verified when its verification closes with a final report. Review statuses (acknowledged,
 * dismissed) are replaced: the recorded outcome says more.
 */
export function moveRecommendationStatus(
  tx: Tx,
  recommendationId: string,
  status: "implemented" | "rejected" | "verified",
  by: string,
  at: Date,
) {
  return tx.recommendation.update({
    where: { id: recommendationId },
    data: { status, statusBy: by, statusAt: at },
    select: { id: true },
  });
}

export function insertImplementation(tx: Tx, data: Prisma.RecommendationImplementationUncheckedCreateInput) {
  return tx.recommendationImplementation.create({ data, select: { id: true } });
}

/** Serializes implementations of one tenant and site (the overlap check and the insert). */
export async function lockSite(tx: Tx, tenantId: string, siteId: string): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`implementation:${tenantId}:${siteId}`}, 0))`;
}

/** Implemented recommendations at the site whose verification window [baseline from, reporting to) meets [from, to). */
export function findImplementationsMeeting(tx: Tx, tenantId: string, siteId: string, from: Date, to: Date) {
  return tx.recommendationImplementation.findMany({
    where: { tenantId, siteId, outcome: "implemented", baselineFrom: { lt: to }, reportingTo: { gt: from } },
    select: {
      id: true,
      recommendationId: true,
      clusterId: true,
      zoneId: true,
      siteId: true,
      effectiveAt: true,
      baselineFrom: true,
      reportingTo: true,
      studyId: true,
    },
  });
}

/** Per dataset of the tenant, its newest ready version holding data in [from, to). */
export async function latestReadyVersionIds(tenantId: string, from: Date, to: Date): Promise<string[]> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    select distinct on (v.dataset_id) v.id::text as id
      from dataset_version v join dataset d on d.id = v.dataset_id
     where d.tenant_id = ${tenantId} and v.state = 'ready'
     order by v.dataset_id, v.version desc`;
  if (rows.length === 0) return [];
  const inWindow = await db().datasetVersion.findMany({
    where: { id: { in: rows.map((r) => r.id) }, timeStart: { lt: to }, timeEnd: { gte: from } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return inWindow.map((v) => v.id);
}

const WITH_REPORT = {
  study: {
    select: {
      id: true,
      name: true,
      tenantId: true,
      currentRevision: true,
      revisions: { orderBy: { revision: "desc" as const }, take: 1 },
      reports: {
        orderBy: { createdAt: "desc" as const },
        take: 1,
        select: { id: true, inputsHash: true, resultsHash: true, results: true, createdAt: true, revisionId: true },
      },
      _count: { select: { reports: true } },
    },
  },
} as const;

export function findImplementationById(id: string) {
  return db().recommendationImplementation.findUnique({ where: { id }, include: WITH_REPORT });
}

export function findImplementationOfRecommendation(recommendationId: string) {
  return db().recommendationImplementation.findUnique({ where: { recommendationId }, include: WITH_REPORT });
}

/** Implementations the verification pass still has to look at. */
export function listOpenVerifications(limit: number) {
  return db().recommendationImplementation.findMany({
    where: { outcome: "implemented", verificationStatus: { in: ["waiting", "open"] } },
    orderBy: [{ checkedAt: { sort: "asc", nulls: "first" } }],
    take: limit,
    select: { id: true },
  });
}

export function updateVerification(
  tx: Tx | null,
  id: string,
  data: { verificationStatus: string; verificationNote: string | null; checkedAt: Date; closedAt?: Date | null },
) {
  return (tx ?? db()).recommendationImplementation.update({ where: { id }, data, select: { id: true } });
}

/** Implemented recommendations with their latest verification report, for the scorecard. */
export function listImplementedWithReports(
  principal: Principal,
  f: { tenantId?: string; siteId?: string; from?: Date; to?: Date },
) {
  return db().recommendationImplementation.findMany({
    where: {
      ...tenantWhereFor(principal, f.tenantId),
      ...(f.siteId ? { siteId: f.siteId } : {}),
      outcome: "implemented",
      ...(f.from || f.to ? { effectiveAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
      recommendation: { massRequest: { deletedAt: null } },
    },
    orderBy: { effectiveAt: "asc" },
    take: 2000,
    include: { recommendation: true, ...WITH_REPORT },
  });
}

export type ImplementationWithReport = NonNullable<Awaited<ReturnType<typeof findImplementationById>>>;
export type ScorecardRow = Awaited<ReturnType<typeof listImplementedWithReports>>[number];
