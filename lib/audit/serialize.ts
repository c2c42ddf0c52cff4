import { z } from "zod";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import type { ChainVerification } from "./verify-chain";

const nullableText = z.string().nullable();

export const AuditEventSchema = z
  .object({
    seq: z.string().meta({ description: "Insertion sequence (a decimal string: it is a 64-bit integer)" }),
    chain_pos: z.string().nullable().meta({ description: "Position in the hash chain; null until the sealer has chained it (seconds)" }),
    id: z.uuid(),
    occurred_at: z.string(),
    actor: z.object({ type: z.enum(["user", "api_token", "system"]), id: nullableText, label: nullableText }),
    tenant_id: nullableText,
    action: z.string().meta({ example: "mass.ingest" }),
    target: z.object({ type: z.string(), id: nullableText }).nullable(),
    inputs: z.unknown().meta({ description: "Redacted inputs: never passwords, tokens or whole payloads" }),
    outputs: z.unknown(),
    result: z.enum(["ok", "denied", "error"]),
    dataset_version: nullableText,
    biocore_version: nullableText,
    app_version: z.string(),
    git_commit: nullableText,
    trace_id: nullableText,
    span_id: nullableText,
    request_id: nullableText,
    ip: nullableText,
    user_agent: nullableText,
    prev_hash: nullableText,
    hash: nullableText.meta({ description: "SHA-256 over the canonical serialization of the event and prev_hash" }),
  })
  .meta({ id: "AuditEvent" });

export const AuditPageResultSchema = z
  .object({ items: z.array(AuditEventSchema), next_cursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

export const ChainVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    head_seq: nullableText,
    head_hash: nullableText,
    unsealed: z.number().int().meta({ description: "Events written after sealing began, not yet chained" }),
    first_broken: z
      .object({ seq: z.string(), id: z.uuid(), reason: z.enum(["hash_mismatch", "link_mismatch"]) })
      .nullable()
      .meta({ description: "The first event whose stored hash or link is wrong; null when the chain is intact" }),
    verified_at: z.string(),
  })
  .meta({ id: "ChainVerification" });

/** The API's JSON shape of an audit event (snake_case, seq as a string). */
export function serializeAuditEvent(e: AuditEvent): z.infer<typeof AuditEventSchema> {
  return {
    seq: e.seq.toString(),
    chain_pos: e.chainPos?.toString() ?? null,
    id: e.id,
    occurred_at: e.occurredAt.toISOString(),
    actor: { type: e.actorType as "user" | "api_token" | "system", id: e.actorId, label: e.actorLabel },
    tenant_id: e.tenantId,
    action: e.action,
    target: e.targetType ? { type: e.targetType, id: e.targetId } : null,
    inputs: e.inputs,
    outputs: e.outputs,
    result: e.result as "ok" | "denied" | "error",
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

export function serializeChainVerification(r: ChainVerification): z.infer<typeof ChainVerificationSchema> {
  return {
    ok: r.ok,
    checked: r.checked,
    head_seq: r.headSeq,
    head_hash: r.headHash,
    unsealed: r.unsealed,
    first_broken: r.firstBroken,
    verified_at: r.verifiedAt,
  };
}
