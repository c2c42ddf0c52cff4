// Appends one event to the audit chain inside the caller's transaction, so the event exists if
// and only if the change it records was committed.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { GENESIS_HASH, hashEvent, type HashedFields } from "./event-hash";
import { redactForAudit } from "./redact";
import type { AuditInput } from "./types";

// Appends are serialized by a transaction-scoped advisory lock, so the chain never forks. Take it
// last in a transaction: it is held until commit.
const CHAIN_LOCK_KEY = 7_400_130_001;

export async function recordAudit(tx: Tx, input: AuditInput): Promise<{ id: string; hash: string }> {
  const { traceId, spanId } = currentTraceIds();
  const fields: HashedFields = {
    id: randomUUID(),
    occurredAt: input.occurredAt ?? new Date(),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorLabel: input.actor.label ?? null,
    tenantId: input.tenantId ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    inputs: input.inputs === undefined ? null : redactForAudit(input.inputs),
    outputs: input.outputs === undefined ? null : redactForAudit(input.outputs),
    result: input.result ?? "ok",
    datasetVersion: input.datasetVersion ?? null,
    biocoreVersion: input.biocoreVersion ?? null,
    appVersion: APP_VERSION,
    gitCommit: GIT_COMMIT,
    traceId,
    spanId,
    requestId: input.context?.requestId ?? null,
    ip: input.context?.ip ?? null,
    userAgent: input.context?.userAgent?.slice(0, 512) ?? null,
  };
  await tx.$executeRaw`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY}::bigint)`;
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = hashEvent(prevHash, fields);
  await tx.auditEvent.create({
    data: {
      ...fields,
      inputs: fields.inputs ?? undefined,
      outputs: fields.outputs ?? undefined,
      prevHash,
      hash,
    } as never,
  });
  return { id: fields.id, hash };
}

/** For events that record no state change of their own (a login, a denied request, an export). */
export function recordAuditAlone(input: AuditInput): Promise<{ id: string; hash: string }> {
  return db().$transaction((tx) => recordAudit(tx, input));
}
