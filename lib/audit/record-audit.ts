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

/** The row an audit input becomes (unsealed: no chain position, no hash yet). */
export function auditRow(input: AuditInput) {
  const { traceId, spanId } = currentTraceIds();
  const inputs = input.inputs === undefined ? null : redactForAudit(input.inputs);
  const outputs = input.outputs === undefined ? null : redactForAudit(input.outputs);
  return {
    id: randomUUID(),
    occurredAt: input.occurredAt ?? new Date(),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorLabel: input.actor.label ?? null,
    tenantId: input.tenantId ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    inputs,
    outputs,
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
}

export async function recordAudit(tx: Pick<Tx, "auditEvent">, input: AuditInput): Promise<{ id: string }> {
  const row = auditRow(input);
  return tx.auditEvent.create({
    data: {
      ...row,
      inputs: (row.inputs ?? undefined) as Prisma.InputJsonValue | undefined,
      outputs: (row.outputs ?? undefined) as Prisma.InputJsonValue | undefined,
    },
    select: { id: true },
  });
}

/** The same, on a plain `pg` client inside its transaction (bulk loads that COPY). */
export async function recordAuditSql(
  client: { query: (sql: string, values: unknown[]) => Promise<unknown> },
  input: AuditInput,
): Promise<{ id: string }> {
  const r = auditRow(input);
  await client.query(
    `insert into audit_event (id, occurred_at, actor_type, actor_id, actor_label, tenant_id, action, target_type, target_id, inputs, outputs,
       result, dataset_version, biocore_version, app_version, git_commit, trace_id, span_id, request_id, ip, user_agent)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
    [
      r.id,
      r.occurredAt,
      r.actorType,
      r.actorId,
      r.actorLabel,
      r.tenantId,
      r.action,
      r.targetType,
      r.targetId,
      r.inputs === null ? null : JSON.stringify(r.inputs),
      r.outputs === null ? null : JSON.stringify(r.outputs),
      r.result,
      r.datasetVersion,
      r.biocoreVersion,
      r.appVersion,
      r.gitCommit,
      r.traceId,
      r.spanId,
      r.requestId,
      r.ip,
      r.userAgent,
    ],
  );
  return { id: r.id };
}

/** For events that record no state change of their own (a login, a denied request, an export). */
export function recordAuditAlone(input: AuditInput): Promise<{ id: string }> {
  return recordAudit(db(), input);
}
