// Appends one event to the audit trail inside the caller's transaction, so the event exists if
// and only if the change it records was committed. It is written unsealed: a plain insert that
// takes no lock, so audited operations never queue behind each other. The sealer (seal-chain.ts)
// links it into the hash chain moments later.
import "server-only";
import { randomUUID } from "node:crypto";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { APP_VERSION, GIT_COMMIT } from "@/lib/version";
import { redactForAudit } from "./redact";
import {
  insertAuditEvent,
  insertAuditEventAlone,
  insertAuditEventSql,
  type AuditSqlClient,
  type AuditTx,
} from "./repo";
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

/** `tx`: the transaction of the change the event records (any domain's; see AuditTx in repo.ts). */
export async function recordAudit(tx: AuditTx, input: AuditInput): Promise<{ id: string }> {
  return insertAuditEvent(tx, auditRow(input));
}

/** The same, on a plain `pg` client inside its transaction (bulk loads that COPY). */
export async function recordAuditSql(client: AuditSqlClient, input: AuditInput): Promise<{ id: string }> {
  const r = auditRow(input);
  await insertAuditEventSql(client, r);
  return { id: r.id };
}

/** For events that record no state change of their own (a login, a denied request, an export). */
export function recordAuditAlone(input: AuditInput): Promise<{ id: string }> {
  return insertAuditEventAlone(auditRow(input));
}
