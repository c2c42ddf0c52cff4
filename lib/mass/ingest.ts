// Accepting a MASS request: validate (four layers), normalize, check tenant access, then in one
// transaction enforce idempotency, store the request, its observation and the audit event.
import "server-only";
import { wakeRecommendationWorker } from "@/lib/background/worker-signal";
import { contextOfTraceparent, linkToActive, traced } from "@/lib/observability/tracing";
import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/access/principal";
import { assertTenantAccess } from "@/lib/access/tenant-scope";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { withObservationMonths } from "@/lib/observations/partitions";
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { zodToAppError } from "@/lib/http/problem";
import { unstorableText } from "@/lib/http/unstorable-text";
import {
  observationFromEnterprise,
  observationFromSimple,
  simpleObservationWarnings,
  simpleStorageProblems,
} from "./extract-observation";
import { normalizeSimple } from "./normalize-simple";
import { payloadHash } from "./payload-hash";
import { payloadLimitProblems } from "./payload-limits";
import { SimpleBodySchema } from "./simple-body";
import { inStoreTransaction, storeMassDocuments } from "./repo/store";
import type { JsonObject, MassIssue, Prepared, StoreCandidate } from "./types";
import { utcSeconds } from "./values";
import { validateEnterprise } from "./validate-enterprise";

export type IngestInput = {
  kind: "enterprise" | "simple";
  body: unknown;
  principal: Principal;
  context: RequestContext;
  idempotencyKeyHeader: string | null;
  traceparentHeader: string | null;
  now?: Date;
};

export type IngestResult = { status: number; body: Record<string, unknown>; replayed: boolean };

export function issuesToError(issues: MassIssue[]): AppError {
  const errors: FieldProblem[] = issues.map((i) => ({
    pointer: i.pointer,
    detail: i.message,
    code: i.code,
    layer: i.layer,
  }));
  return new AppError(
    "validation_failed",
    `The MASS request has ${issues.length} problem${issues.length === 1 ? "" : "s"}`,
    { errors },
  );
}

export function prepareMass(input: Omit<IngestInput, "context">): Prepared {
  const now = input.now ?? new Date();
  const unstorable = unstorableText(input.body);
  if (unstorable.length) throw issuesToError(unstorable.map((u) => ({ ...u, layer: "structural" })));
  if (input.kind === "enterprise") {
    const result = validateEnterprise(input.body, { now, idempotencyKeyHeader: input.idempotencyKeyHeader });
    if (!result.ok) throw issuesToError(result.issues);
    const n = result.normalized as {
      schema_version: string;
      correlation_id: string;
      trace?: { traceparent: string };
      request: Record<string, unknown>;
    };
    const assets = n.request.assets as Record<string, string | undefined>;
    return {
      kind: "enterprise",
      normalized: result.normalized,
      payloadHash: result.payloadHash,
      warnings: result.warnings,
      tenantId: n.request.tenant_id as string,
      assets: {
        siteId: assets.site_id ?? null,
        facilityId: assets.facility_id ?? null,
        clusterId: assets.cluster_id ?? null,
        zoneId: assets.zone_id ?? null,
      },
      schemaVersion: n.schema_version,
      correlationId: n.correlation_id,
      requestId: n.request.request_id as string,
      idempotencyKey: n.request.idempotency_key as string,
      traceparent: n.trace?.traceparent ?? input.traceparentHeader,
      observation: observationFromEnterprise(result.normalized),
    };
  }
  const parsed = SimpleBodySchema.safeParse(input.body);
  if (!parsed.success) throw zodToAppError(parsed.error, "body");
  const limits = payloadLimitProblems(parsed.data.payload);
  if (limits.length)
    throw issuesToError(
      limits.map((message) => ({ pointer: "/payload", layer: "semantic", code: "payload_limit", message })),
    );
  const normalized = normalizeSimple(parsed.data.payload);
  const tenantId = simpleTenant(normalized, input.principal);
  const observation = observationFromSimple(normalized, tenantId);
  const unstorableSignals = simpleStorageProblems(normalized, observation);
  if (unstorableSignals.length) throw issuesToError(unstorableSignals.map((p) => ({ ...p, layer: "semantic" })));
  const id = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null);
  const requestId = id(normalized.request_id) ?? `req-${randomUUID()}`;
  return {
    kind: "simple",
    normalized,
    payloadHash: payloadHash(normalized),
    warnings: simpleObservationWarnings(normalized, observation),
    tenantId,
    assets: {
      siteId: id(normalized.site_id),
      facilityId: id(normalized.facility_id),
      clusterId: id(normalized.cluster_id),
      zoneId: id(normalized.zone_id),
    },
    schemaVersion: "1.0-simple",
    correlationId: id(normalized.correlation_id) ?? `corr-${randomUUID()}`,
    requestId,
    // Without an Idempotency-Key header a simple request is never a replay of another.
    idempotencyKey: input.idempotencyKeyHeader ?? `auto-${randomUUID()}`,
    traceparent: input.traceparentHeader,
    observation,
  };
}

/** The tenant of a simple payload: its own tenant_id, else the caller's only tenant, else "default". */
function simpleTenant(normalized: JsonObject, principal: Principal): string {
  const given = normalized.tenant_id;
  if (typeof given === "string" && given !== "") return given.toLowerCase();
  return principal.tenantIds.length === 1 ? principal.tenantIds[0]! : "default";
}

export async function ingestMass(input: IngestInput): Promise<IngestResult> {
  const receivedAt = input.now ?? new Date();
  const prepared = prepareMass(input);
  assertTenantAccess(input.principal, prepared.tenantId);
  // The request's own traceparent (body or header) is the parent of the ingest span, so the client's
  // trace continues here (and, through the stored trace ids, on to BioCore); linked to the HTTP span.
  const parent = contextOfTraceparent(prepared.traceparent);
  const attributes = {
    "pib.mass.kind": prepared.kind,
    "pib.tenant_id": prepared.tenantId,
    "pib.mass.request_id": prepared.requestId,
  };
  const result: IngestResult = await traced("mass.ingest", attributes, () => storeMass(input, prepared, receivedAt), {
    parent: parent ?? undefined,
    links: linkToActive(),
  });
  if (!result.replayed) wakeRecommendationWorker();
  return result;
}

async function storeMass(input: IngestInput, prepared: Prepared, receivedAt: Date): Promise<IngestResult> {
  const id = randomUUID();
  const candidate: StoreCandidate = {
    index: 0,
    raw: input.body,
    prepared,
    id,
    response: acceptedBody(id, prepared, receivedAt),
  };
  // The reading's monthly partition first (a round trip only for a month new to this process).
  const months = prepared.observation ? [prepared.observation.intervalStart] : [];
  const { created, stored } = await withObservationMonths(months, () =>
    inStoreTransaction((tx) =>
      storeMassDocuments(tx, [candidate], {
        principal: input.principal,
        receivedAt,
        auditEach: (c) => ({
          actor: actorOf(input.principal),
          action: "mass.ingest",
          targetType: "mass_request",
          targetId: c.id,
          tenantId: c.prepared.tenantId,
          inputs: {
            kind: c.prepared.kind,
            schema_version: c.prepared.schemaVersion,
            request_id: c.prepared.requestId,
            idempotency_key: c.prepared.idempotencyKey,
          },
          outputs: {
            payload_hash: c.prepared.payloadHash,
            warnings: c.prepared.warnings.length,
            observation: Boolean(c.prepared.observation),
          },
          context: input.context,
        }),
      }),
    ),
  );
  if (created.has(id)) return { status: 201, body: candidate.response, replayed: false };
  // Stored before (or by a concurrent request this one waited for): the same payload is a replay.
  const existing = stored.get(prepared.idempotencyKey);
  if (!existing) throw new Error("MASS ingest: idempotency key neither stored nor found");
  if (existing.payloadHash !== prepared.payloadHash) {
    throw new AppError("validation_failed", "This idempotency key was already used with a different payload", {
      errors: [
        {
          pointer: prepared.kind === "enterprise" ? "/request/idempotency_key" : "",
          detail: "reused with a different payload",
          code: "idempotency_key_reused",
        },
      ],
    });
  }
  return { status: 201, body: existing.responseBody, replayed: true };
}

/** The answer to an accepted request, stored with it and replayed as is (single routes and batches alike). */
export function acceptedBody(id: string, prepared: Prepared, receivedAt: Date): Record<string, unknown> {
  return {
    id,
    status: "pending",
    correlation_id: prepared.correlationId,
    request_id: prepared.requestId,
    idempotency_key: prepared.idempotencyKey,
    payload_hash: prepared.payloadHash,
    warnings: prepared.warnings,
    received_at_utc: utcSeconds(receivedAt),
    ...(prepared.kind === "simple" ? { payload_normalized: prepared.normalized } : {}),
  };
}
