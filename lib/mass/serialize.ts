// The API's JSON shapes of a MASS request, as zod schemas (they feed the OpenAPI document) and the
// serializers that produce them (typed against the schemas, so the two cannot drift apart).
import { z } from "zod";
import type { MassRequest } from "@/lib/generated/prisma/client";

export const MassStatusSchema = z.enum(["pending", "processing", "done", "failed"]).meta({ id: "MassStatus" });

export const MassWarningSchema = z
  .object({
    pointer: z.string().meta({ description: "RFC 6901 JSON Pointer into the request" }),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: "MassWarning" });

const utc = (description: string) => z.string().meta({ description, example: "2026-11-23T08:00:00.000Z" });

export const MassAcceptedSchema = z
  .object({
    id: z.uuid(),
    status: MassStatusSchema,
    correlation_id: z.string(),
    request_id: z.string(),
    idempotency_key: z.string(),
    payload_hash: z.string().meta({ description: "SHA-256 (hex) of the canonical JSON of the normalized request" }),
    warnings: z.array(MassWarningSchema),
    received_at_utc: utc("When the request was received (UTC, seconds)"),
    payload_normalized: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "MASS Simple only: the normalized payload" }),
  })
  .meta({
    id: "MassAccepted",
    description: "The answer to an accepted ingest; a replay returns the same body with `Idempotent-Replayed: true`.",
  });

export const MassSummarySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["enterprise", "simple"]),
    schema_version: z.string(),
    tenant_id: z.string(),
    site_id: z.string().nullable(),
    facility_id: z.string().nullable(),
    cluster_id: z.string().nullable(),
    zone_id: z.string().nullable(),
    correlation_id: z.string(),
    request_id: z.string(),
    idempotency_key: z.string(),
    payload_hash: z.string(),
    status: MassStatusSchema,
    warnings: z.array(MassWarningSchema),
    received_at_utc: utc("When the request was received"),
    updated_at_utc: utc("Last status change"),
  })
  .meta({ id: "MassSummary" });
export type MassSummaryOut = z.infer<typeof MassSummarySchema>;

export const MassDetailSchema = MassSummarySchema.extend({
  raw: z.unknown().meta({ description: "The document as received" }),
  normalized: z
    .record(z.string(), z.unknown())
    .meta({ description: "The normalized document the hash is computed over" }),
  normalized_at_utc: z.string(),
  traceparent: z.string().nullable(),
  trace_id: z.string().nullable(),
}).meta({ id: "MassDetail" });

export const MassListSchema = z
  .object({
    items: z.array(MassSummarySchema),
    next_cursor: z.uuid().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
    total: z.number().int().meta({ description: "How many requests match the filters" }),
  })
  .meta({ id: "MassList" });

export const MassTimelineSchema = z
  .object({
    items: z.array(
      z.object({
        at: z.string(),
        event: z.string().meta({
          description: "received, validated, normalized, stored, mass.status, mass.delete, and later BioCore calls",
        }),
        detail: z.string().nullable(),
        actor: z.string().nullable(),
        result: z.string(),
        trace_id: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "MassTimeline" });

export const MassStatusChangedSchema = z
  .object({ id: z.uuid(), status: MassStatusSchema })
  .meta({ id: "MassStatusChanged" });

export const MassValidationSchema = z
  .object({
    valid: z.literal(true),
    kind: z.enum(["enterprise", "simple"]),
    payload_hash: z.string(),
    warnings: z.array(MassWarningSchema),
    normalized: z.record(z.string(), z.unknown()),
    observation: z
      .boolean()
      .meta({ description: "Whether an ingest would store an observation row (the request carries signals)" }),
  })
  .meta({
    id: "MassValidation",
    description: "A dry run passed; an invalid document is a 422 problem naming every violation.",
  });

type Summary = Pick<
  MassRequest,
  | "id"
  | "kind"
  | "schemaVersion"
  | "tenantId"
  | "siteId"
  | "facilityId"
  | "clusterId"
  | "zoneId"
  | "correlationId"
  | "requestId"
  | "idempotencyKey"
  | "payloadHash"
  | "status"
  | "warnings"
  | "receivedAt"
  | "updatedAt"
>;

export function serializeMassSummary(m: Summary): MassSummaryOut {
  return {
    id: m.id,
    kind: m.kind as MassSummaryOut["kind"],
    schema_version: m.schemaVersion,
    tenant_id: m.tenantId,
    site_id: m.siteId,
    facility_id: m.facilityId,
    cluster_id: m.clusterId,
    zone_id: m.zoneId,
    correlation_id: m.correlationId,
    request_id: m.requestId,
    idempotency_key: m.idempotencyKey,
    payload_hash: m.payloadHash,
    status: m.status as MassSummaryOut["status"],
    warnings: m.warnings as MassSummaryOut["warnings"],
    received_at_utc: m.receivedAt.toISOString(),
    updated_at_utc: m.updatedAt.toISOString(),
  };
}

export function serializeMassDetail(m: MassRequest): z.infer<typeof MassDetailSchema> {
  return {
    ...serializeMassSummary(m),
    raw: m.raw,
    normalized: m.normalized as Record<string, unknown>,
    normalized_at_utc: m.normalizedAt.toISOString(),
    traceparent: m.traceparent,
    trace_id: m.traceId,
  };
}

const ProblemEntrySchema = z.object({
  pointer: z.string().meta({ description: "RFC 6901 JSON Pointer into the document (as on the single routes)" }),
  detail: z.string(),
  code: z.string().optional(),
  layer: z.enum(["structural", "semantic", "contract", "business"]).optional(),
});

export const MassBatchItemSchema = z
  .object({
    index: z
      .number()
      .int()
      .meta({ description: "The document's position in the batch (0-based; NDJSON: blank lines skipped)" }),
    idempotency_key: z.string().nullable().meta({ description: "The document's key (null when it has none)" }),
    status: z.enum(["created", "replayed", "invalid", "conflict"]).meta({
      description:
        "created: stored now; replayed: the key was stored before with the same payload (the stored id); invalid: the document breaks the contract, or its tenant is outside the caller's scope (nothing stored); conflict: the key was used before with another payload (nothing stored)",
    }),
    id: z.uuid().nullable().meta({ description: "The stored request, `/api/v1/mass/{id}` (created, replayed)" }),
    payload_hash: z.string().nullable(),
    warnings: z.array(MassWarningSchema),
    detail: z.string().nullable().meta({ description: "invalid, conflict: what the single route's problem would say" }),
    errors: z.array(ProblemEntrySchema).meta({
      description:
        "invalid, conflict: every problem, as the single route's problem `errors` (pointers into the document)",
    }),
  })
  .meta({ id: "MassBatchItem" });

export const MassBatchResultSchema = z
  .object({
    batch_id: z.uuid().meta({ description: "This call (the audit trail's `mass.ingest_batch` events name it)" }),
    received_at_utc: utc("When the batch was received (UTC, seconds)"),
    summary: z.object({
      items: z.number().int(),
      created: z.number().int(),
      replayed: z.number().int(),
      invalid: z.number().int(),
      conflict: z.number().int(),
    }),
    items: z.array(MassBatchItemSchema).meta({ description: "One answer per document, in the batch's order" }),
  })
  .meta({
    id: "MassBatchResult",
    description: "At least one document was accepted (created or replayed); each document's own answer is in `items`.",
  });
