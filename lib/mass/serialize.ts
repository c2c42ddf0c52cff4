import type { MassRequest } from "@/lib/generated/prisma/client";

type Summary = Pick<
  MassRequest,
  "id" | "kind" | "schemaVersion" | "tenantId" | "siteId" | "facilityId" | "clusterId" | "zoneId" | "correlationId" | "requestId" | "idempotencyKey" | "payloadHash" | "status" | "warnings" | "receivedAt" | "updatedAt"
>;

export function serializeMassSummary(m: Summary) {
  return {
    id: m.id,
    kind: m.kind,
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
    status: m.status,
    warnings: m.warnings,
    received_at_utc: m.receivedAt.toISOString(),
    updated_at_utc: m.updatedAt.toISOString(),
  };
}

export function serializeMassDetail(m: MassRequest) {
  return {
    ...serializeMassSummary(m),
    raw: m.raw,
    normalized: m.normalized,
    normalized_at_utc: m.normalizedAt.toISOString(),
    traceparent: m.traceparent,
    trace_id: m.traceId,
  };
}
