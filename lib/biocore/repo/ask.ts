// Storing an "Ask BioCore" request: the MASS v1.1 request the pilot built from stored observations,
// kept as an enterprise MASS request (no observations of its own: its values are already stored,
// so the dashboard never counts them twice), with its job and audit event, in one transaction.
// Idempotent per (principal, key): the same scope and window asked again within the key's time
// bucket answers the first ask's job.
import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { AuditInput } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { enqueueRecommendationJob } from "./jobs";

export type AskRow = {
  tenantId: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
  correlationId: string;
  requestId: string;
  idempotencyKey: string;
  principalKey: string;
  payloadHash: string;
  document: Record<string, unknown>;
  traceparent: string | null;
  traceId: string | null;
  spanId: string | null;
  createdByType: string;
  createdById: string;
  at: Date;
};

export type AskStored = { massRequestId: string; jobId: string; replayed: boolean };

async function existing(principalKey: string, idempotencyKey: string): Promise<AskStored | null> {
  const m = await db().massRequest.findUnique({
    where: { principalKey_idempotencyKey: { principalKey, idempotencyKey } },
    select: { id: true, jobs: { select: { id: true }, orderBy: { createdAt: "asc" }, take: 1 } },
  });
  return m && m.jobs[0] ? { massRequestId: m.id, jobId: m.jobs[0].id, replayed: true } : null;
}

/** Stores the ask (or finds the same one asked a moment ago); `audit` is written with it. */
export async function storeAsk(
  row: AskRow,
  audit: (ids: { massRequestId: string; jobId: string }) => AuditInput,
): Promise<AskStored> {
  const before = await existing(row.principalKey, row.idempotencyKey);
  if (before) return before;
  try {
    return await db().$transaction(async (tx) => {
      const doc = row.document as Prisma.InputJsonValue;
      const m = await tx.massRequest.create({
        data: {
          kind: "enterprise",
          schemaVersion: "1.1",
          tenantId: row.tenantId,
          siteId: row.siteId,
          facilityId: row.facilityId,
          clusterId: row.clusterId,
          zoneId: row.zoneId,
          correlationId: row.correlationId,
          requestId: row.requestId,
          idempotencyKey: row.idempotencyKey,
          principalKey: row.principalKey,
          payloadHash: row.payloadHash,
          raw: doc,
          normalized: doc,
          warnings: [],
          responseStatus: 202,
          responseBody: { request_id: row.requestId, correlation_id: row.correlationId, source: "ask" },
          traceparent: row.traceparent,
          traceId: row.traceId,
          spanId: row.spanId,
          createdByType: row.createdByType,
          createdById: row.createdById,
          receivedAt: row.at,
          normalizedAt: row.at,
        },
        select: { id: true },
      });
      const job = await enqueueRecommendationJob(tx, m.id, row.tenantId, "on_demand");
      await recordAudit(tx, audit({ massRequestId: m.id, jobId: job.id }));
      return { massRequestId: m.id, jobId: job.id, replayed: false };
    });
  } catch (error) {
    // The same ask stored by a concurrent request: answer with it.
    if ((error as { code?: string }).code === "P2002") {
      const found = await existing(row.principalKey, row.idempotencyKey);
      if (found) return found;
    }
    throw error;
  }
}

/** An ask's progress: its job, and the recommendations its request got (newest first). */
export async function askProgress(tenantIds: readonly string[] | null, massRequestId: string) {
  return db().massRequest.findFirst({
    where: { id: massRequestId, ...(tenantIds ? { tenantId: { in: [...tenantIds] } } : {}) },
    select: {
      id: true,
      status: true,
      jobs: { select: { id: true, status: true, lastError: true }, orderBy: { createdAt: "desc" }, take: 1 },
      recommendations: { select: { id: true, recId: true, category: true }, orderBy: { priority: "asc" } },
    },
  });
}
