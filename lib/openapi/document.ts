// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with and the
// serializers are typed against. Every route the app serves is listed in OPERATIONS; a test
// fails when a route file exists that is not.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { AccessTokenSchema, MeSchema, TokenRequestSchema } from "@/lib/auth/api-schemas";
import { isGlobalAction, PERMISSIONS, type Action } from "@/lib/auth/permissions";
import { ApiTokenCreatedSchema, ApiTokenSchema } from "@/lib/api-tokens/serialize";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { AuditFilterSchema, AuditPageSchema } from "@/lib/audit/audit-filter";
import {
  AnchorSchema,
  AuditPageResultSchema,
  ChainVerificationSchema,
  VerifyAnchorsBodySchema,
} from "@/lib/audit/serialize";
import type { ErrorCode } from "@/lib/http/app-error";
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
import { DatasetSchema, DatasetVersionDetailSchema, UploadResultSchema } from "@/lib/datasets/serialize";
import { UploadParamsSchema } from "@/lib/datasets/upload-request";
import { DashboardQueryParams, ObservationPageParams, TrendsQueryParams } from "@/lib/kpi/filter";
import { CompareQueryParams } from "@/lib/kpi/before-after";
import { ComparisonSchema, OverviewSchema, TrendsSchema } from "@/lib/kpi/serialize";
import { BioCoreHealthSchema, BioCoreResponseSchema, BioCoreVersionSchema } from "@/lib/biocore/contract";
import { RecommendationFilterSchema, ReviewSchema } from "@/lib/biocore/recommendations";
import { ImplementationInputSchema } from "@/lib/verification/implement";
import { ImplementationViewSchema } from "@/lib/verification/serialize";
import { ScorecardFilterSchema } from "@/lib/verification/scorecard";
import { ScorecardSchema } from "@/lib/verification/scorecard-schema";
import { RecommendationDetailSchema, RecommendationViewSchema } from "@/lib/biocore/serialize";
import { BiocoreStatusSchema } from "@/lib/biocore/status";
import { MvReportSchema, MvStudyListSchema, MvStudySchema } from "@/lib/mv/serialize";
import { CreateStudySchema, ReviseStudySchema, RunStudySchema } from "@/lib/mv/studies";
import mvStudyExample from "@/lib/mv/examples/study.json";
import { CreateUserSchema, UpdateUserSchema } from "@/lib/users/schemas";
import { UserSchema } from "@/lib/users/serialize";
import { APP_VERSION } from "@/lib/version";
import { HealthSchema, IdParams, ProblemSchema, problemExample, ReadySchema } from "./common";

type Method = "get" | "post" | "patch" | "delete";

export type OperationSpec = {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route checks, or "public" (no principal needed). */
  auth: Action | "public";
  path_params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; example?: unknown; examples?: Record<string, { summary: string; value: unknown }> };
  /** Further media types the JSON body may come as (NDJSON): media type → OpenAPI schema object. */
  bodyAlternatives?: Record<string, { schema: Record<string, unknown>; example?: string }>;
  /** A non-JSON body (uploads): media type → OpenAPI schema object. */
  rawBody?: Record<string, { schema: Record<string, unknown>; example?: string }>;
  ok: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema?: z.ZodType;
    contentType?: string;
    example?: unknown;
    headers?: Record<string, { description: string }>;
  };
  /** Error statuses beyond those every route of its kind can answer. */
  errors?: Partial<Record<ErrorCode, string>>;
};

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

const exportQuery = AuditFilterSchema;

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

export const OPERATIONS: OperationSpec[] = [
  {
    method: "get",
    path: "/api/health",
    tag: "Service",
    auth: "public",
    summary: "Liveness",
    description: "The process answers; never touches the database.",
    ok: { status: 200, description: "Alive", schema: HealthSchema },
  },
  {
    method: "get",
    path: "/api/ready",
    tag: "Service",
    auth: "public",
    summary: "Readiness",
    description: "200 when the database answers; 503 otherwise.",
    ok: { status: 200, description: "Ready", schema: ReadySchema },
  },
  {
    method: "get",
    path: "/api/metrics",
    tag: "Service",
    auth: "public",
    summary: "Prometheus metrics (text exposition format) for the bearer of METRICS_TOKEN",
    description:
      "Not a user token: `Authorization: Bearer <METRICS_TOKEN>`. Answers 404 when METRICS_TOKEN is unset. Metric names: docs/OBSERVABILITY.md.",
    ok: { status: 200, description: "Prometheus text", contentType: "text/plain; version=0.0.4" },
    errors: {
      not_found: "Metrics are off (no METRICS_TOKEN configured)",
      unauthenticated: "Missing or wrong metrics token",
    },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "Service",
    auth: "dashboard.read",
    summary: "This document",
    ok: { status: 200, description: "The OpenAPI 3.1 document" },
  },
  {
    method: "post",
    path: "/api/v1/auth/token",
    tag: "Authentication",
    auth: "public",
    summary: "Exchange email and password for a 15-minute access JWT",
    description: "Rate-limited per address and per account; the same answer for an unknown user and a wrong password.",
    body: { schema: TokenRequestSchema },
    ok: { status: 200, description: "A signed access token", schema: AccessTokenSchema },
    errors: { unauthenticated: "Wrong email or password, or a disabled account" },
  },
  {
    method: "get",
    path: "/api/v1/me",
    tag: "Authentication",
    auth: "dashboard.read",
    summary: "Who the caller is",
    ok: { status: 200, description: "The principal", schema: MeSchema },
  },
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
  {
    method: "post",
    path: "/api/v1/datasets",
    tag: "Datasets",
    auth: "dataset.upload",
    summary: "Upload a CSV dataset (streamed, up to 200 MB by default)",
    description:
      "Send `text/csv` with the parameters in the query, or `multipart/form-data` with the fields before the `file` field. " +
      "Each upload of new bytes is a new immutable version identified by their SHA-256; the same bytes again return the existing version (200). " +
      "Strict mode refuses the whole file on any bad row and stores nothing; `on_error=skip` stores the valid rows and reports the rest. " +
      "Columns: `timestamp_utc`, `site_id`, optional `facility_id`, `cluster_id`, `zone_id`, `interval_seconds`, and signal columns (e.g. `it_load_kw`, `facility_power_kw`, `outdoor_temp_c`); see the README.",
    query: UploadParamsSchema,
    rawBody: {
      "text/csv": {
        schema: { type: "string" },
        example:
          "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw\n2026-06-01T00:00:00Z,mad1,c01,812.4,1130.2\n",
      },
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: {
            name: { type: "string" },
            tenant_id: { type: "string" },
            on_error: { type: "string", enum: ["strict", "skip"] },
            file: { type: "string", format: "binary" },
          },
        },
      },
    },
    ok: {
      status: 201,
      description: "A new version (200 with `created: false` for bytes uploaded before)",
      schema: UploadResultSchema,
      headers: { Location: { description: "`/api/v1/datasets/{id}/versions/{version}`" } },
    },
    errors: { forbidden: "The caller may not upload, or the tenant is outside its scope" },
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "Datasets the caller may see, with their versions",
    ok: { status: 200, description: "All visible datasets", schema: z.object({ items: z.array(DatasetSchema) }) },
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "One dataset with its versions",
    path_params: IdParams,
    ok: { status: 200, description: "The dataset", schema: DatasetSchema },
    errors: { not_found: "No such dataset (or outside the caller's tenants)" },
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/versions/{version}",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "One version with its quality report",
    path_params: IdParams.extend({ version: z.coerce.number().int().min(1).meta({ description: "1, 2, …" }) }),
    ok: { status: 200, description: "The version", schema: DatasetVersionDetailSchema },
    errors: { not_found: "No such version" },
  },
  {
    method: "get",
    path: "/api/v1/kpi",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "KPIs for the filtered scope and period, with the previous equal period",
    description:
      "Every number is computed from stored observations: the latest version of each dataset (or the chosen one) and/or live MASS requests, within the caller's tenants.",
    query: DashboardQueryParams,
    ok: { status: 200, description: "KPIs, previous-period KPIs and their relative change", schema: OverviewSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/trends",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "Trend series, downsampled in the database to at most `points` buckets",
    query: TrendsQueryParams,
    ok: { status: 200, description: "One point per bucket", schema: TrendsSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/compare",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "Before/after: two periods side by side (not normalized for load or weather)",
    description:
      "N days either side of an event (default: the latest cooling-setpoint change detected in scope), or two explicit periods; KPIs for each and their profiles by time of day or week.",
    query: CompareQueryParams,
    ok: { status: 200, description: "Both periods' KPIs and profiles", schema: ComparisonSchema },
  },
  {
    method: "get",
    path: "/api/v1/kpi/export.csv",
    tag: "Dashboard",
    auth: "export.create",
    summary: "The KPI summary (current, previous, relative change) as CSV",
    query: DashboardQueryParams,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/kpi/report.pdf",
    tag: "Dashboard",
    auth: "export.create",
    summary: "PDF report: filters, KPIs with changes, trend charts, coverage, dataset versions and hashes",
    query: DashboardQueryParams,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/observations",
    tag: "Dashboard",
    auth: "dashboard.read",
    summary: "The filtered observations, sorted and paginated on the server",
    query: ObservationPageParams,
    ok: {
      status: 200,
      description: "One page",
      schema: z
        .object({
          period: z.object({ from: z.string(), to: z.string() }),
          total: z.number().int(),
          page: z.number().int(),
          limit: z.number().int(),
          items: z.array(z.record(z.string(), z.unknown())),
        })
        .meta({ id: "ObservationPage" }),
    },
  },
  {
    method: "get",
    path: "/api/v1/observations/export.csv",
    tag: "Dashboard",
    auth: "export.create",
    summary: "Every filtered observation as CSV, streamed (cells safe against formula injection)",
    query: DashboardQueryParams,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
  {
    method: "post",
    path: "/api/v1/mass/{id}/recommend",
    tag: "Recommendations",
    auth: "mass.ingest",
    summary: "Ask BioCore again about a stored request (queues a job; audited)",
    path_params: IdParams,
    ok: {
      status: 202,
      description: "The queued job",
      schema: z.object({ job_id: z.uuid(), mass_request_id: z.uuid(), status: z.literal("pending") }),
    },
    errors: { not_found: "No such request", conflict: "A MASS Simple request without signals: nothing to ask" },
  },
  {
    method: "get",
    path: "/api/v1/recommendations",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "Recommendations of the caller's tenants, newest first",
    description:
      "Suggestions only: the pilot runs in shadow mode and never sends an action to a plant. `actionable` is false when the pilot's own guardrail check found a violated hard constraint, or the answer was served stale.",
    query: RecommendationFilterSchema,
    ok: {
      status: 200,
      description: "Matching recommendations, and the open ones' estimated saving in the same tenant and asset scope",
      schema: z.object({
        items: z.array(RecommendationViewSchema),
        open: z.object({ count: z.number().int(), saving_kwh_24h: z.number() }).meta({
          description:
            "New or acknowledged, actionable recommendations of the filter's tenant, site, cluster and zone (other filters aside): BioCore's estimated facility saving over 24 h, kWh (positive = saving). Implemented, rejected and verified ones are not open.",
        }),
      }),
    },
  },
  {
    method: "get",
    path: "/api/v1/recommendations/{id}",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "One recommendation with the call log of its request",
    path_params: IdParams,
    ok: { status: 200, description: "The recommendation", schema: RecommendationDetailSchema },
    errors: { not_found: "No such recommendation (or outside the caller's tenants)" },
  },
  {
    method: "patch",
    path: "/api/v1/recommendations/{id}",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Acknowledge or dismiss a new recommendation, with a comment (audited)",
    path_params: IdParams,
    body: { schema: ReviewSchema, example: { status: "acknowledged", comment: "Scheduled with the facility team" } },
    ok: { status: 200, description: "The reviewed recommendation", schema: RecommendationDetailSchema },
    errors: { not_found: "No such recommendation", conflict: "Already reviewed" },
  },
  {
    method: "get",
    path: "/api/v1/recommendations/{id}/implementation",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary:
      "What was done with a recommendation: implemented or rejected, its verification study and predicted vs verified with the verdict",
    description:
      "Predicted: BioCore's facility-power delta × the hours the verification measured (positive = saving). Verified: the latest report's avoided energy, cost and CO2e with their 90 % uncertainty. A cooling (Option B) study attributes the facility prediction to the cooling boundary. Verdict: inconclusive while there is no report or the data is insufficient, or when the 90 % band contains both zero and the prediction; confirmed when the band excludes zero on the saving side (with where the prediction lies: inside, above or below the band); not confirmed otherwise.",
    path_params: IdParams,
    ok: { status: 200, description: "The implementation record", schema: ImplementationViewSchema },
    errors: { not_found: "No such recommendation, or nothing recorded about it yet" },
  },
  {
    method: "post",
    path: "/api/v1/recommendations/{id}/implementation",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Record a recommendation implemented (by the operator, outside the pilot) or rejected, once (audited)",
    description:
      "Implemented: creates an M&V study on the recommendation's scope — cooling boundary (Option B) for cooling_setpoint and fan_speed, facility (Option C) otherwise — with a baseline of whole days before the day the change took effect and a reporting period from the next midnight (28 days each by default), daily, IT energy + cooling degree-days with the balance point searched; data: the tenant's latest ready dataset versions and MASS data up to the end of reporting. The study runs at once when its reporting period has enough data, and again by the verification pass as data arrives until it closes. An implementation whose verification window meets another's on an overlapping scope is refused with 409.",
    path_params: IdParams,
    body: {
      schema: ImplementationInputSchema,
      example: {
        outcome: "implemented",
        effective_at: "2026-06-01T00:00:00Z",
        applied_value: 24,
        note: "Raised by the facility team after the change review",
      },
    },
    ok: {
      status: 201,
      description: "The implementation record with its verification",
      schema: ImplementationViewSchema,
    },
    errors: {
      not_found: "No such recommendation",
      conflict: "Already recorded, or an overlapping implementation on the same scope",
      validation_failed: "Invalid body, or a recommendation without a site",
    },
  },
  {
    method: "post",
    path: "/api/v1/recommendations/{id}/verification",
    tag: "Recommendations",
    auth: "recommendation.acknowledge",
    summary: "Check the implementation's verification now (a new report only when its data changed)",
    path_params: IdParams,
    ok: { status: 200, description: "The implementation record after the check", schema: ImplementationViewSchema },
    errors: { not_found: "No such recommendation, or no implementation to verify" },
  },
  {
    method: "get",
    path: "/api/v1/scorecard",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary:
      "BioCore's scorecard: implemented recommendations, confirmed share, total predicted vs total verified per engine version and category, calibration points, biggest misses",
    description:
      "Totals cover the implementations with a verification report (so predicted and verified span the same hours); their 90 % uncertainties are combined in quadrature. Filters: site, engine version (`model name` + `version`), and the period the changes took effect.",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "The scorecard", schema: ScorecardSchema },
  },
  {
    method: "get",
    path: "/api/v1/scorecard/export.csv",
    tag: "Recommendations",
    auth: "export.create",
    summary: "The scorecard as CSV: one row per implemented recommendation (predicted, verified ± 90 %, verdict)",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "CSV with a header row (audited as export.csv)", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/scorecard/report.pdf",
    tag: "Recommendations",
    auth: "export.create",
    summary:
      "The scorecard as PDF for a steering meeting: summary, per engine and category, calibration chart, biggest misses, method",
    query: ScorecardFilterSchema,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/biocore/status",
    tag: "Recommendations",
    auth: "recommendation.read",
    summary: "BioCore's health, version, circuit state, last hour's latency and error rate, and the job queue",
    ok: { status: 200, description: "Status", schema: BiocoreStatusSchema },
  },
  {
    method: "post",
    path: "/api/biocore-reference/recommend",
    tag: "Reference engine",
    auth: "public",
    summary: "The built-in reference engine: BioCore's contract (MASS v1.1 §3) for a normalized enterprise request",
    description:
      "Used when BIOCORE_URL is unset. Pure and deterministic (docs/BIOCORE-REFERENCE.md); answers with `Cache-Control: max-age=300`.",
    body: { schema: z.record(z.string(), z.unknown()) },
    ok: { status: 200, description: "A MASS response", schema: BioCoreResponseSchema },
  },
  {
    method: "get",
    path: "/api/biocore-reference/health",
    tag: "Reference engine",
    auth: "public",
    summary: "The reference engine's health",
    ok: { status: 200, description: "Health", schema: BioCoreHealthSchema },
  },
  {
    method: "get",
    path: "/api/biocore-reference/version",
    tag: "Reference engine",
    auth: "public",
    summary: "The reference engine's name, version, model, feature set and policy",
    ok: { status: 200, description: "Version", schema: BioCoreVersionSchema },
  },
  {
    method: "get",
    path: "/api/v1/mv/studies",
    tag: "M&V",
    auth: "mv.read",
    summary: "The caller's M&V studies, newest first, each with its latest report",
    ok: { status: 200, description: "Every visible study", schema: MvStudyListSchema },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies",
    tag: "M&V",
    auth: "mv.write",
    summary: "Create a study (revision 1): scope, boundary, data source, periods, granularity, model, assumptions",
    description:
      "The specification is validated whole; dataset versions must be ready versions of the study's tenant. See docs/MV-METHOD.md.",
    body: { schema: CreateStudySchema, example: mvStudyExample },
    ok: {
      status: 201,
      description: "The study",
      schema: MvStudySchema,
      headers: { Location: { description: "`/api/v1/mv/studies/{id}`" } },
    },
    errors: { forbidden: "The caller may not create studies, or the tenant is outside its scope" },
  },
  {
    method: "get",
    path: "/api/v1/mv/studies/{id}",
    tag: "M&V",
    auth: "mv.read",
    summary: "A study with every revision (newest first) and its reports",
    path_params: IdParams,
    ok: { status: 200, description: "The study", schema: MvStudySchema },
    errors: { not_found: "No such study (or outside the caller's tenants)" },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies/{id}/revisions",
    tag: "M&V",
    auth: "mv.write",
    summary: "Edit a study: adds a revision; earlier revisions and their reports stay readable",
    path_params: IdParams,
    body: {
      schema: ReviseStudySchema,
      example: {
        name: mvStudyExample.name,
        note: "Balance point searched instead of fixed",
        spec: mvStudyExample.spec,
      },
    },
    ok: { status: 201, description: "The study with its new revision", schema: MvStudySchema },
    errors: { not_found: "No such study", conflict: "Another revision was added meanwhile" },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies/{id}/runs",
    tag: "M&V",
    auth: "mv.write",
    summary: "Run a revision (default: the current one) into an immutable, reproducible report",
    description:
      "The body is optional. A study that cannot be computed (too few points, zero variance, collinear variables, a missing variable) is refused with 422 naming the reason.",
    path_params: IdParams,
    body: { schema: RunStudySchema, example: {} },
    ok: {
      status: 201,
      description: "The report",
      schema: MvReportSchema,
      headers: { Location: { description: "`/api/v1/mv/reports/{id}`" } },
    },
    errors: { not_found: "No such study or revision" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}",
    tag: "M&V",
    auth: "mv.read",
    summary: "A report: specification, results, hashes, versions",
    path_params: IdParams,
    ok: { status: 200, description: "The report", schema: MvReportSchema },
    errors: { not_found: "No such report" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}/report.pdf",
    tag: "M&V",
    auth: "export.create",
    summary: "The report as PDF (IPMVP style: summary, method, fit, assumptions, charts, reproducibility)",
    path_params: IdParams,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
    errors: { not_found: "No such report" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}/export.csv",
    tag: "M&V",
    auth: "export.create",
    summary: "Per-interval actual, baseline, savings and cumulative savings, after a `# key: value` metadata block",
    path_params: IdParams,
    ok: {
      status: 200,
      description: 'CSV (audited as export.csv); read it with papaparse\'s `comments: "#"`',
      contentType: "text/csv",
    },
    errors: { not_found: "No such report" },
  },
  {
    method: "get",
    path: "/api/v1/audit",
    tag: "Audit",
    auth: "audit.read",
    summary: "Audit events, newest first, filtered and cursor-paginated",
    query: AuditFilterSchema.extend(AuditPageSchema.shape),
    ok: { status: 200, description: "One page", schema: AuditPageResultSchema },
  },
  {
    method: "get",
    path: "/api/v1/audit/export.csv",
    tag: "Audit",
    auth: "audit.export",
    summary: "The filtered audit events as CSV (streamed; cells safe against formula injection)",
    query: exportQuery,
    ok: { status: 200, description: "CSV with a header row", contentType: "text/csv" },
  },
  {
    method: "get",
    path: "/api/v1/audit/export.pdf",
    tag: "Audit",
    auth: "audit.export",
    summary: "The filtered audit events as PDF, ending with the chain verification",
    query: exportQuery,
    ok: { status: 200, description: "PDF", contentType: "application/pdf" },
  },
  {
    method: "get",
    path: "/api/v1/audit/verify",
    tag: "Audit",
    auth: "audit.verify",
    summary: "Walk the audit hash chain and name the first broken event",
    description:
      "Checks every keyed hash (HMAC under AUDIT_HMAC_KEY), link and chain position (gaps, a chain not starting at position 1), " +
      "and compares the chain with the server's last anchor. Events sealed before the key existed verify as `legacy_unkeyed` (a warning).",
    ok: {
      status: 200,
      description: "The verification (also 200 when the chain is broken: read `ok` and `reasons`)",
      schema: ChainVerificationSchema,
    },
  },
  {
    method: "post",
    path: "/api/v1/audit/verify",
    tag: "Audit",
    auth: "audit.verify",
    summary: "Verify the audit chain against anchors kept outside the database",
    description:
      "As GET, and each anchor sent (from GET /api/v1/audit/checkpoint or the anchor file) is compared with the chain: a position that now holds " +
      "another hash (`hash_differs`), a position beyond the head (`truncated`), or a signature that does not verify (`bad_signature`).",
    body: {
      schema: VerifyAnchorsBodySchema,
      example: {
        anchors: [
          {
            chain_pos: "1042",
            hash: `9f2c${"0".repeat(60)}`,
            count: 1042,
            at: "2026-12-06T21:00:00.000Z",
            sig: "0".repeat(64),
          },
        ],
      },
    },
    ok: {
      status: 200,
      description: "The verification (also 200 when the chain is broken: read `ok` and `reasons`)",
      schema: ChainVerificationSchema,
    },
  },
  {
    method: "get",
    path: "/api/v1/audit/checkpoint",
    tag: "Audit",
    auth: "audit.verify",
    summary: "The chain's head, signed: an anchor to keep outside the database (audited as audit.checkpoint)",
    description:
      "Keep the answer where the database's administrators cannot change it, and pass it back to POST /api/v1/audit/verify later. " +
      "Answers 409 when the chain disagrees with the server's last anchor (it will not sign a rewritten head). See docs/AUDIT-CHAIN.md.",
    ok: { status: 200, description: "The signed head", schema: AnchorSchema },
    errors: {
      not_found: "The chain is empty",
      conflict: "The chain disagrees with the last anchor: it was cut back or rewritten",
    },
  },
  {
    method: "get",
    path: "/api/v1/users",
    tag: "Administration",
    auth: "user.manage",
    summary: "List users",
    ok: { status: 200, description: "All users", schema: z.object({ items: z.array(UserSchema) }) },
  },
  {
    method: "post",
    path: "/api/v1/users",
    tag: "Administration",
    auth: "user.manage",
    summary: "Create a user",
    body: {
      schema: CreateUserSchema,
      example: {
        email: "analyst@example.com",
        password: "a long passphrase of words",
        role: "analyst",
        tenant_ids: [],
      },
    },
    ok: {
      status: 201,
      description: "Created",
      schema: UserSchema,
      headers: { Location: { description: "`/api/v1/users/{id}`" } },
    },
    errors: { conflict: "A user with this email exists" },
  },
  {
    method: "patch",
    path: "/api/v1/users/{id}",
    tag: "Administration",
    auth: "user.manage",
    summary: "Change a user's role or tenant scope, disable or enable, reset the password",
    description: "A password reset or disabling ends the user's sessions and access tokens.",
    path_params: IdParams,
    body: { schema: UpdateUserSchema, example: { role: "viewer" } },
    ok: { status: 200, description: "The user", schema: UserSchema },
    errors: { not_found: "No such user", conflict: "The change would leave no active admin" },
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    tag: "Administration",
    auth: "token.manage",
    summary: "List API tokens (never their secrets)",
    ok: { status: 200, description: "All tokens", schema: z.object({ items: z.array(ApiTokenSchema) }) },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    tag: "Administration",
    auth: "token.manage",
    summary: "Create an API token for a collector; the secret is in this answer only",
    body: {
      schema: CreateApiTokenSchema,
      example: { name: "site-a collector", role: "analyst", tenant_ids: ["acme"] },
    },
    ok: {
      status: 201,
      description: "Created",
      schema: ApiTokenCreatedSchema,
      headers: { Location: { description: "`/api/v1/tokens/{id}`" } },
    },
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    tag: "Administration",
    auth: "token.manage",
    summary: "Revoke an API token (effective on its next use)",
    path_params: IdParams,
    ok: { status: 200, description: "The revoked token", schema: ApiTokenSchema },
    errors: { not_found: "No such token" },
  },
];

const GENERIC: Partial<Record<ErrorCode, string>> = {
  rate_limited: "Too many requests from this address or principal (see `Retry-After`)",
  internal: "An unexpected error (logged with the request id)",
  unavailable: "The database is not reachable (see `Retry-After`)",
};

function errorResponses(op: OperationSpec) {
  const codes: Partial<Record<ErrorCode, string>> = {};
  if (op.rawBody) {
    codes.payload_too_large = "The upload is over the size limit";
    codes.unsupported_media_type = "Not one of the accepted media types";
    codes.bad_request = "A malformed multipart body";
    codes.validation_failed =
      "The file is malformed or has invalid rows (every problem, up to 1,000, with row, column, value and reason)";
  }
  if (op.body) {
    codes.bad_request = "The body is not JSON";
    codes.payload_too_large = "The body is over the size limit";
    codes.unsupported_media_type = "The body is not `application/json`";
    codes.validation_failed = "The body breaks its schema (every problem, with its JSON Pointer)";
  }
  if (op.query) codes.validation_failed ??= "A query parameter is invalid (every problem, with its JSON Pointer)";
  if (op.auth !== "public") {
    codes.unauthenticated = "No valid bearer token or session";
    codes.forbidden = `The caller's role may not perform \`${op.auth}\``;
  }
  Object.assign(codes, op.errors, GENERIC);
  const byStatus = new Map<number, { code: ErrorCode; detail: string }[]>();
  for (const [code, detail] of Object.entries(codes) as [ErrorCode, string][]) {
    const status = problemExample(code, detail).status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), { code, detail }]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, entries]) => [
      String(status),
      {
        description: entries.map((e) => e.detail).join("; "),
        content: {
          "application/problem+json": {
            schema: ProblemSchema,
            example:
              entries[0]!.code === "validation_failed" && op.path.startsWith("/api/v1/mass")
                ? problemExample("validation_failed", "The request has 2 problems", [
                    {
                      pointer: "/request/signals/energy/it_load_kw",
                      layer: "semantic",
                      detail: "must be between 0 and 1000000",
                      code: "out_of_range",
                    },
                    {
                      pointer: "/request/time_window/end_utc",
                      layer: "business",
                      detail: "must be after start_utc",
                      code: "window_order",
                    },
                  ])
                : problemExample(entries[0]!.code, entries[0]!.detail),
          },
        },
      },
    ]),
  );
}

function authText(auth: Action | "public"): string {
  // eslint-disable-next-line security/detect-possible-timing-attacks -- `auth` is an action name from the route table, not a secret
  if (auth === "public") return "No authentication.";
  const roles = (PERMISSIONS[auth] as readonly string[]).join(", ");
  return `Needs \`${auth}\` (roles: ${roles})${isGlobalAction(auth) ? ", and a principal not limited to tenants" : ""}.`;
}

function operation(op: OperationSpec): ZodOpenApiOperationObject {
  const okContent =
    op.ok.status === 204
      ? undefined
      : op.ok.contentType
        ? {
            [op.ok.contentType]: {
              schema: {
                type: "string" as const,
                ...(op.ok.contentType === "application/pdf" ? { format: "binary" } : {}),
              },
            },
          }
        : {
            "application/json": op.ok.schema
              ? { schema: op.ok.schema, ...(op.ok.example ? { example: op.ok.example } : {}) }
              : { schema: { type: "object" as const } },
          };
  return {
    operationId: `${op.method}${op.path
      .replace(/^\/api/, "")
      .replace(/[{}]/g, "")
      .split(/[/._-]/)
      .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
      .join("")}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, authText(op.auth)].filter(Boolean).join("\n\n"),
    ...(op.auth === "public" ? { security: [] } : {}),
    "x-permission": op.auth,
    requestParams: {
      ...(op.path_params ? { path: op.path_params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.headers ? { header: op.headers } : {}),
    },
    ...(op.rawBody ? { requestBody: { required: true, content: op.rawBody as never } } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: op.body.schema,
                ...(op.body.example ? { example: op.body.example } : {}),
                ...(op.body.examples ? { examples: op.body.examples } : {}),
              },
              ...((op.bodyAlternatives ?? {}) as Record<string, never>),
            },
          },
        }
      : {}),
    responses: {
      [String(op.ok.status)]: {
        description: op.ok.description,
        ...(op.ok.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(op.ok.headers).map(([k, v]) => [k, { ...v, schema: { type: "string" as const } }]),
              ),
            }
          : {}),
        ...(okContent ? { content: okContent } : {}),
      },
      ...errorResponses(op),
    },
  };
}

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument() {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) paths[op.path] = { ...paths[op.path], [op.method]: operation(op) };
  cached = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Pilot-in-a-Box API",
      version: APP_VERSION,
      description:
        "Shadow-mode (read-only) data-centre energy pilot: it never sends a control action anywhere.\n\n" +
        "Authenticate with `Authorization: Bearer …`: an access JWT from `POST /api/v1/auth/token` (15 minutes) or an API token (`pib_…`) an admin created. " +
        "In the dashboard (and on this page) the session cookie works too.\n\n" +
        "Every error is RFC 9457 `application/problem+json` with a request id; every answer carries `X-Request-Id` and `Cache-Control: no-store`. " +
        "Rate-limited answers are 429 with `Retry-After`, `RateLimit` and `RateLimit-Policy`. Dashboard sign-in (`/api/auth/*`) belongs to the browser session flow and is not part of this API.",
    },
    security: [{ bearer: [] }],
    tags: [
      { name: "MASS", description: "Ingestion of the MASS v1.1 contract (enterprise) and MASS Simple" },
      { name: "Dashboard", description: "KPIs and trends over observations" },
      { name: "Datasets", description: "CSV datasets: immutable, content-addressed versions with quality reports" },
      {
        name: "Recommendations",
        description:
          "BioCore's recommendations (suggestions only: never sent to a plant), their review, and BioCore's status",
      },
      { name: "Reference engine", description: "The built-in stand-in for BioCore, used when BIOCORE_URL is unset" },
      {
        name: "M&V",
        description:
          "Measurement and verification studies (ASHRAE Guideline 14, IPMVP Options B and C) and their reproducible reports",
      },
      { name: "Audit", description: "The tamper-evident audit trail" },
      { name: "Authentication" },
      { name: "Administration", description: "Users and API tokens (admin)" },
      { name: "Service" },
    ],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An access JWT (`POST /api/v1/auth/token`) or an API token (`pib_…`)",
        },
      },
    },
    paths,
  });
  return cached;
}
