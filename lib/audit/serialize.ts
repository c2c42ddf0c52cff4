import { z } from "zod";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import type { ChainVerification } from "./verify-chain";

const nullableText = z.string().nullable();

export const AuditEventSchema = z
  .object({
    seq: z.string().meta({ description: "Insertion sequence (a decimal string: it is a 64-bit integer)" }),
    chain_pos: z
      .string()
      .nullable()
      .meta({ description: "Position in the hash chain; null until the sealer has chained it (seconds)" }),
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
    hash: nullableText.meta({
      description:
        "HMAC-SHA-256 under AUDIT_HMAC_KEY over the canonical serialization of the event and prev_hash (events sealed before the key: plain SHA-256)",
    }),
  })
  .meta({ id: "AuditEvent" });

export const AuditPageResultSchema = z
  .object({ items: z.array(AuditEventSchema), next_cursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

export const AnchorSchema = z
  .object({
    chain_pos: z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .meta({ description: "Chain position of the anchored event (a decimal string)" }),
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: "The event's stored hash at that position" }),
    count: z.number().int().nonnegative().meta({ description: "Sealed events in the chain when anchored" }),
    at: z.string().meta({ description: "When the anchor was made (ISO 8601)" }),
    sig: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: "HMAC-SHA-256 under AUDIT_HMAC_KEY over the other fields" }),
  })
  .meta({
    id: "AuditAnchor",
    description:
      "A signed checkpoint of the audit chain's head: keep it outside the database and pass it back to verify",
  });

export const VerifyAnchorsBodySchema = z
  .object({
    anchors: z
      .array(AnchorSchema)
      .max(5_000)
      .meta({ description: "Anchors kept by the verifier (checkpoints, anchor-file lines)" }),
  })
  .meta({ id: "AuditVerifyAnchors" });

const BreakReasonSchema = z.enum(["hash_mismatch", "link_mismatch", "gap", "restart", "unkeyed_after_keyed"]);

export const ChainVerificationSchema = z
  .object({
    ok: z.boolean().meta({ description: "True when `reasons` is empty" }),
    checked: z.number().int(),
    first_seq: nullableText.meta({
      description: "Insertion sequence of the chain's first event (a chain restarted after a truncation begins late)",
    }),
    head_seq: nullableText,
    head_pos: nullableText,
    head_hash: nullableText,
    legacy_unkeyed: z
      .number()
      .int()
      .meta({ description: "Events sealed before the audit key existed (unkeyed SHA-256, accepted only as a prefix)" }),
    unsealed: z.number().int().meta({ description: "Events written after sealing began, not yet chained" }),
    first_broken: z
      .object({ seq: z.string(), id: z.uuid(), chain_pos: z.string(), reason: BreakReasonSchema })
      .nullable()
      .meta({
        description: "The first event whose stored hash, link or position is wrong; null when the walk found none",
      }),
    anchors: z.object({
      checked: z.number().int().meta({ description: "Anchors compared: those sent, and the server's last" }),
      problems: z.array(
        z.object({
          chain_pos: z.string(),
          anchored_hash: z.string(),
          at: z.string(),
          source: z.enum(["request", "server"]),
          problem: z.enum(["hash_differs", "truncated", "bad_signature"]),
          actual_hash: nullableText,
        }),
      ),
    }),
    reasons: z
      .array(
        z.enum([
          "hash_mismatch",
          "link_mismatch",
          "gap",
          "restart",
          "unkeyed_after_keyed",
          "anchor_mismatch",
          "truncated",
          "anchor_bad_signature",
          "chain_rewritten",
        ]),
      )
      .meta({ description: "Why the chain does not verify (empty when ok)" }),
    warnings: z.array(
      z.object({
        code: z.enum(["legacy_unkeyed", "development_key", "no_anchors"]),
        message: z.string(),
        count: z.number().int().optional(),
      }),
    ),
    seal_refused: nullableText.meta({
      description: "Why the sealer refused to seal onto this chain (it disagrees with an anchor)",
    }),
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
    first_seq: r.firstSeq,
    head_seq: r.headSeq,
    head_pos: r.headPos,
    head_hash: r.headHash,
    legacy_unkeyed: r.legacyUnkeyed,
    unsealed: r.unsealed,
    first_broken: r.firstBroken && {
      seq: r.firstBroken.seq,
      id: r.firstBroken.id,
      chain_pos: r.firstBroken.chainPos,
      reason: r.firstBroken.reason,
    },
    anchors: r.anchors,
    reasons: r.reasons,
    warnings: r.warnings,
    seal_refused: r.sealRefused,
    verified_at: r.verifiedAt,
  };
}
