// OpenAPI operations of the "MASS" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { StatusChangeSchema, ValidateQuerySchema } from "@/lib/mass/api-schemas";
import { EnterpriseStructureSchema } from "@/lib/mass/enterprise-structure";
import enterpriseExample from "@/lib/mass/examples/enterprise-request.json";
import simpleExample from "@/lib/mass/examples/simple-request.json";
import { MassListQueryParams } from "@/lib/mass/list-query";
import {
  MassAcceptedSchema,
  MassBatchResultSchema,
  MassDetailSchema,
  MassListSchema,
  MassStatusChangedSchema,
  MassTimelineSchema,
  MassValidationSchema,
} from "@/lib/mass/serialize";
import { SimpleBodySchema } from "@/lib/mass/simple-body";
import { IdParams } from "../common";
import type { OperationSpec } from "../operation-spec";

const IngestHeaders = z.object({
  "Idempotency-Key": z
    .string()
    .optional()
    .meta({ description: "Overrides the body's idempotency key (enterprise: `request.idempotency_key`)" }),
  traceparent: z
    .string()
    .optional()
    .meta({ description: "W3C trace context; stored with the request and parent of its ingest span" }),
});

// No 409: a request whose key another request is still storing waits for it, then replays its answer
// (same payload) or is refused with 422 (another payload).
const ingestErrors = {
  forbidden: "The principal's role may not ingest, or the document's tenant is outside the principal's tenant scope",
} as const;

const acceptedHeaders = {
  Location: { description: "The stored request, `/api/v1/mass/{id}`" },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same key and payload",
  },
};

const EnterpriseRequest = EnterpriseStructureSchema.meta({
  id: "MassEnterpriseRequest",
  description:
    "MASS v1.1 enterprise request — the structural layer. Numbers may be numeric strings; timestamps ISO 8601 or epoch; " +
    "ranges, units and relations are checked by the semantic, contract and business layers (see the contract).",
});

const SimpleRequest = SimpleBodySchema.meta({
  id: "MassSimpleRequest",
  description: "MASS Simple: any JSON object under `payload`",
});

const SimpleBatchItem = z
  .strictObject({
    idempotency_key: z
      .string()
      .min(8)
      .max(255)
      .meta({ description: "8–255 printable ASCII characters; the single route's Idempotency-Key header" }),
    payload: SimpleBodySchema.shape.payload,
  })
  .meta({ id: "MassSimpleBatchItem", description: "A MASS Simple document in a batch: its key and its payload" });

const batchExample = [
  {
    ...enterpriseExample,
    request: {
      ...enterpriseExample.request,
      idempotency_key: "collector-7-2026-11-20T14:00-ent",
      request_id: "req-collector-7-0001",
    },
  },
  {
    idempotency_key: "collector-7-2026-11-20T14:00-mad1",
    payload: { site_id: "mad1", timestamp_utc: "2026-11-20T14:00:00Z", interval_seconds: 900, it_load_kw: 1840.5 },
  },
];

export const massOperations: OperationSpec[] = [
  {
    method: "post",
    path: "/api/v1/mass/generate",
    tag: "MASS",
    auth: "mass.ingest",
    summary: "Ingest an enterprise MASS v1.1 request",
    description:
      "Validated in four layers (structural, semantic, contract, business); every violation is reported at once with its JSON Pointer and layer. " +
      "Normalized deterministically; `payload_hash` is the SHA-256 of the canonical JSON of the normalized request. Idempotent per principal and key.",
    headers: IngestHeaders,
    body: { schema: EnterpriseRequest, example: enterpriseExample },
    ok: {
      status: 201,
      description: "Accepted and stored (or the stored answer, replayed)",
      schema: MassAcceptedSchema,
      headers: acceptedHeaders,
    },
    errors: {
      ...ingestErrors,
      validation_failed: "Invalid document, or the idempotency key reused with a different payload",
    },
  },
  {
    method: "post",
    path: "/api/v1/mass",
    tag: "MASS",
    auth: "mass.ingest",
    summary: "Ingest a MASS Simple request",
    description:
      "Free JSON under `payload`: keys snake-cased, numeric strings to numbers (leading zeros kept as strings), yes/no to booleans.",
    headers: IngestHeaders,
    body: { schema: SimpleRequest, example: simpleExample },
    ok: {
      status: 201,
      description: "Accepted and stored (or replayed)",
      schema: MassAcceptedSchema,
      headers: acceptedHeaders,
    },
    errors: {
      ...ingestErrors,
      validation_failed: 'Not a `{"payload": {…}}` object within the contract\'s limits, or a reused key',
    },
  },
  {
    method: "post",
    path: "/api/v1/mass/batch",
    tag: "MASS",
    auth: "mass.ingest",
    summary: "Ingest up to 1,000 MASS documents (enterprise and Simple, mixed) in one call",
    description:
      "A JSON array, or `application/x-ndjson` with one document a line (blank lines skipped; a line that is not JSON is that document's problem). " +
      'An enterprise document is the one `/api/v1/mass/generate` takes (its key is `request.idempotency_key`); a MASS Simple one is `{"idempotency_key", "payload"}`. ' +
      "Each document is checked as on its single route and answered in `items` with its own status: `created`, `replayed` (same key and payload as before: the stored id), " +
      "`invalid` (every problem, pointers into the document; nothing stored) or `conflict` (the key was used with another payload). " +
      "The valid documents are stored in one transaction (all or, on a database error, none: then retry the whole batch; every document is idempotent by its key). " +
      "A document whose key another request is still storing waits for it, then replays or conflicts. " +
      "One audit event (`mass.ingest_batch`) per tenant and 200 stored documents names each document's id, key and payload hash. " +
      "The batch counts as one request for the rate limits. At most 1,000 documents and `MASS_BATCH_MAX_BYTES` (8 MiB); each document at most `MAX_BODY_BYTES`.",
    headers: IngestHeaders.pick({ traceparent: true }),
    body: { schema: z.array(z.union([EnterpriseRequest, SimpleBatchItem])).max(1000), example: batchExample },
    bodyAlternatives: {
      "application/x-ndjson": {
        schema: {
          type: "string",
          description: "One document a line (an enterprise document or a MASS Simple batch item)",
        },
        example: batchExample.map((d) => JSON.stringify(d)).join("\n"),
      },
    },
    ok: {
      status: 200,
      description: "At least one document accepted (created or replayed); every document's answer in `items`",
      schema: MassBatchResultSchema,
      headers: { "Idempotent-Replayed": { description: "`true` when every document was replayed" } },
    },
    errors: {
      validation_failed:
        "No document accepted: `errors` names every problem of every document (pointers prefixed with the document's index, `/3/payload/it_load_kw`), the extension member `items` holds each document's answer; or the body is not an array, holds no document, or more than 1,000",
      payload_too_large: "The body is over MASS_BATCH_MAX_BYTES",
      unsupported_media_type: "Neither `application/json` nor `application/x-ndjson`",
      bad_request: "A JSON body that does not parse (NDJSON: a line that does not parse is that document's problem)",
      forbidden: ingestErrors.forbidden.replace(
        "or the document's tenant is outside the principal's tenant scope",
        "(a document whose tenant is outside the scope is that document's problem)",
      ),
    },
  },
  {
    method: "get",
    path: "/api/v1/mass",
    tag: "MASS",
    auth: "mass.read",
    summary: "List MASS requests",
    description:
      "Newest first by default; tombstoned requests are hidden; a tenant-scoped principal sees its tenants only.",
    query: MassListQueryParams,
    ok: { status: 200, description: "One page", schema: MassListSchema },
  },
  {
    method: "post",
    path: "/api/v1/mass/validate",
    tag: "MASS",
    auth: "mass.ingest",
    summary: "Dry run: validate and normalize either form, store nothing",
    query: ValidateQuerySchema,
    headers: IngestHeaders,
    body: {
      schema: z.union([EnterpriseRequest, SimpleRequest]),
      examples: {
        enterprise: { summary: "Enterprise v1.1", value: enterpriseExample },
        simple: { summary: "MASS Simple", value: simpleExample },
      },
    },
    ok: { status: 200, description: "Valid: the normalized document and warnings", schema: MassValidationSchema },
    errors: { validation_failed: "Every violation, with JSON Pointer and layer", forbidden: ingestErrors.forbidden },
  },
  {
    method: "get",
    path: "/api/v1/mass/{id}",
    tag: "MASS",
    auth: "mass.read",
    summary: "One MASS request: raw and normalized documents, hash, warnings, status",
    path_params: IdParams,
    ok: { status: 200, description: "The request", schema: MassDetailSchema },
    errors: { not_found: "No such request (or tombstoned, or outside the caller's tenants)" },
  },
  {
    method: "delete",
    path: "/api/v1/mass/{id}",
    tag: "MASS",
    auth: "mass.delete",
    summary: "Tombstone a MASS request",
    description: "Kept for audit, hidden from lists and KPIs; never a hard delete.",
    path_params: IdParams,
    ok: { status: 204, description: "Tombstoned" },
    errors: { not_found: "No such request" },
  },
  {
    method: "get",
    path: "/api/v1/mass/{id}/events",
    tag: "MASS",
    auth: "mass.read",
    summary: "A MASS request's timeline",
    path_params: IdParams,
    ok: {
      status: 200,
      description: "Received, validated, normalized, stored, then every audited change",
      schema: MassTimelineSchema,
    },
    errors: { not_found: "No such request" },
  },
  {
    method: "patch",
    path: "/api/v1/mass/{id}/status",
    tag: "MASS",
    auth: "mass.ingest",
    summary: "Move a request along pending → processing → done | failed",
    path_params: IdParams,
    body: { schema: StatusChangeSchema },
    ok: { status: 200, description: "The new status", schema: MassStatusChangedSchema },
    errors: { not_found: "No such request", conflict: "An illegal transition (e.g. done → pending)" },
  },
];
