// Appends one event to the audit trail inside the caller's transaction, so the event exists if
// and only if the change it records was committed. It is written unsealed: a plain insert that
// takes no lock, so audited operations never queue behind each other. The sealer (seal-chain.ts)
// links it into the hash chain moments later.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { redactForAudit } from "./redact";
import type { AuditInput } from "./types";

export async function recordAudit(tx: Pick<Tx, "auditEvent">, input: AuditInput): Promise<{ id: string }> {
  const { traceId, spanId } = currentTraceIds();
  const inputs = input.inputs === undefined ? null : redactForAudit(input.inputs);
  const outputs = input.outputs === undefined ? null : redactForAudit(input.outputs);
  const event = await tx.auditEvent.create({
    data: {
      id: randomUUID(),
      occurredAt: input.occurredAt ?? new Date(),
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      actorLabel: input.actor.label ?? null,
      tenantId: input.tenantId ?? null,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      inputs: (inputs ?? undefined) as Prisma.InputJsonValue | undefined,
      outputs: (outputs ?? undefined) as Prisma.InputJsonValue | undefined,
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
    },
    select: { id: true },
  });
  return event;
}

/** For events that record no state change of their own (a login, a denied request, an export). */
export function recordAuditAlone(input: AuditInput): Promise<{ id: string }> {
  return recordAudit(db(), input);
}
