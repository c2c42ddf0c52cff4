import type { AuditEvent } from "@/lib/generated/prisma/client";

/** The API's JSON shape of an audit event (snake_case, seq as a string). */
export function serializeAuditEvent(e: AuditEvent) {
  return {
    seq: e.seq.toString(),
    chain_pos: e.chainPos?.toString() ?? null,
    id: e.id,
    occurred_at: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    tenant_id: e.tenantId,
    action: e.action,
    target: e.targetType ? { type: e.targetType, id: e.targetId } : null,
    inputs: e.inputs,
    outputs: e.outputs,
    result: e.result,
    dataset_version: e.datasetVersion,
    biocore_version: e.biocoreVersion,
    app_version: e.appVersion,
    git_commit: e.gitCommit,
    trace_id: e.traceId,
    span_id: e.spanId,
    request_id: e.requestId,
    ip: e.ip,
    user_agent: e.userAgent,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}
