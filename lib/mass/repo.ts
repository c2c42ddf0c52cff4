import "server-only";
import { listEventsForTarget } from "@/lib/audit/repo";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { MassStatus, Prisma } from "@/lib/generated/prisma/client";
import { tombstoneMassObservations } from "@/lib/rollups/repo/refresh-mass";
import type { ObservationFields } from "./extract-observation";
import type { AuditRow } from "./timeline";

/** The transaction of a lifecycle change (Prisma), handed to this file's functions and the audit record. */
export type MassTx = Tx;

/** A lifecycle change's transaction: the change and its audit event commit together or not at all. */
export function inTransaction<T>(work: (tx: MassTx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

export function insertMassRequest(tx: Tx, data: Prisma.MassRequestUncheckedCreateInput) {
  return tx.massRequest.create({ data, select: { id: true } });
}

export function insertObservation(tx: Tx, massRequestId: string, fields: ObservationFields) {
  return tx.observation.create({ data: { ...fields, massRequestId }, select: { id: true } });
}

export function getMassRequest(id: string, tenantIds: string[]) {
  return db().massRequest.findFirst({
    where: { id, deletedAt: null, ...(tenantIds.length ? { tenantId: { in: tenantIds } } : {}) },
  });
}

export type MassListFilter = {
  tenantIds?: string[];
  siteId?: string;
  facilityId?: string;
  clusterId?: string;
  zoneId?: string;
  status?: MassStatus;
  schemaVersion?: string;
  from?: Date;
  to?: Date;
  correlationId?: string;
  requestId?: string;
};

export function massWhere(f: MassListFilter): Prisma.MassRequestWhereInput {
  return {
    deletedAt: null,
    ...(f.tenantIds ? { tenantId: { in: f.tenantIds } } : {}),
    ...(f.siteId ? { siteId: f.siteId } : {}),
    ...(f.facilityId ? { facilityId: f.facilityId } : {}),
    ...(f.clusterId ? { clusterId: f.clusterId } : {}),
    ...(f.zoneId ? { zoneId: f.zoneId } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.schemaVersion ? { schemaVersion: f.schemaVersion } : {}),
    ...(f.correlationId ? { correlationId: f.correlationId } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
    ...(f.from || f.to ? { receivedAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
  };
}

export const MASS_SORTS = ["received_at", "-received_at", "tenant_id", "site_id", "status"] as const;
export type MassSort = (typeof MASS_SORTS)[number];

const ORDER: Record<MassSort, Prisma.MassRequestOrderByWithRelationInput[]> = {
  received_at: [{ receivedAt: "asc" }, { id: "asc" }],
  "-received_at": [{ receivedAt: "desc" }, { id: "desc" }],
  tenant_id: [{ tenantId: "asc" }, { id: "asc" }],
  site_id: [{ siteId: "asc" }, { id: "asc" }],
  status: [{ status: "asc" }, { id: "asc" }],
};

/** Cursor pagination: the cursor is the last id of the previous page (Prisma keyset cursor). */
export async function listMassRequests(f: MassListFilter, page: { sort: MassSort; limit: number; cursor?: string }) {
  const rows = await db().massRequest.findMany({
    where: massWhere(f),
    orderBy: ORDER[page.sort],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      kind: true,
      schemaVersion: true,
      tenantId: true,
      siteId: true,
      facilityId: true,
      clusterId: true,
      zoneId: true,
      correlationId: true,
      requestId: true,
      idempotencyKey: true,
      payloadHash: true,
      status: true,
      warnings: true,
      receivedAt: true,
      updatedAt: true,
    },
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
}

export function countMassRequests(f: MassListFilter): Promise<number> {
  return db().massRequest.count({ where: massWhere(f) });
}

/** Moves the status only from `from`; returns false when it was not `from` any more. */
export async function moveStatus(tx: Tx, id: string, from: MassStatus, to: MassStatus): Promise<boolean> {
  const { count } = await tx.massRequest.updateMany({
    where: { id, status: from, deletedAt: null },
    data: { status: to },
  });
  return count === 1;
}

/** Hides the request and its observations, and takes them out of the rollups. */
export async function tombstone(tx: Tx, id: string, by: string, at: Date): Promise<boolean> {
  const { count } = await tx.massRequest.updateMany({
    where: { id, deletedAt: null },
    data: { deletedAt: at, deletedBy: by },
  });
  if (count !== 1) return false;
  await tombstoneMassObservations(tx, id, at);
  return true;
}

/**
 * The audit event that stored a request sent in a batch (`mass.ingest_batch`, one per tenant and
 * 200 documents, naming each document's id): looked for from the request's receipt, for the time
 * a batch may take, through the (action, occurred_at) index.
 */
export function batchEventsFor(id: string, receivedAt: Date): Promise<AuditRow[]> {
  return db().$queryRaw<AuditRow[]>`
    select occurred_at as "occurredAt", action, actor_label as "actorLabel", actor_type as "actorType", result, inputs, outputs, trace_id as "traceId"
      from audit_event
     where action = 'mass.ingest_batch' and occurred_at >= ${receivedAt} and occurred_at < ${receivedAt}::timestamptz + interval '10 minutes'
       and outputs -> 'items' @> ${JSON.stringify([{ id }])}::jsonb
     order by seq`;
}

/** A request's audited events for its timeline: its own, and the batch event that stored it (if it came in a batch). */
export async function massEvents(request: { id: string; receivedAt: Date }): Promise<AuditRow[]> {
  const events = await listEventsForTarget("mass_request", request.id);
  const stored = events.some((e) => e.action === "mass.ingest")
    ? []
    : await batchEventsFor(request.id, request.receivedAt);
  return [...stored, ...events];
}
