// Storing accepted MASS documents: one path for the single routes (one document) and batches (up
// to 1,000), in one transaction on a plain `pg` client with a fixed number of set-based statements
// however many documents, sent in one round trip (PgBatchTx.many) and committed in a second:
//
// 1. requests, observations, recommendation jobs (one per series: its latest reading) and, for
//    single documents, their audit events, in one statement. Idempotency is per principal and key, decided by the unique index on
//    (principal_key, idempotency_key): `insert … on conflict do nothing` waits for a concurrent
//    transaction holding the same key and then skips it; observations, jobs and audit events are
//    written only for the requests this statement created. Rows go in key order, so two writers
//    sharing keys wait for each other in one direction only (no deadlock);
// 2. the rollups' series-day locks of every reading offered (lib/rollups/repo/refresh-mass.ts), in
//    a fixed order, after the keys (every writer takes keys, then series-days);
// 3. the rollups: settle the points and add the new readings' contributions;
// 4. the stored answers of the keys skipped (a replay, or a conflict when the payload differs);
// then, with the commit: a batch's audit events (one per tenant and 200 documents). A reading that
// replaced another has its series' hours and days recomputed before the commit (a few statements).
import "server-only";
import { auditRow } from "@/lib/audit/record-audit";
import type { AuditInput } from "@/lib/audit/types";
import type { Principal } from "@/lib/access/principal";
import { pgTransaction, type PgBatchTx, type PgStep } from "@/lib/db";
import { currentTraceIds } from "@/lib/observability/trace-context";
import { addMassObservationsSteps, recomputeReplaced, type MassPoint } from "@/lib/rollups/repo/refresh-mass";
import type { ObservationFields } from "../extract-observation";
import type { StoreCandidate, StoredAnswer } from "../types";

/** The storing transaction, on a plain `pg` client: the domain only hands it to this file's functions. */
export type StoreTx = PgBatchTx;

/**
 * Opens the one transaction an ingest (a single document or a batch) is stored in: `work` runs
 * storeMassDocuments in it; committed when `work` answers, rolled back when it throws.
 */
export function inStoreTransaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
  return pgTransaction(work);
}

export type StoreOptions = {
  principal: Principal;
  receivedAt: Date;
  /** The audit event of each created document, written in the same statement (single routes). */
  auditEach?: (c: StoreCandidate) => AuditInput;
  /** The audit events of the created documents, written after them (batches). */
  auditAll?: (created: StoreCandidate[]) => AuditInput[];
};

// The observation columns an ObservationFields fills, with their SQL types.
const OBSERVATION_COLUMNS: [keyof ObservationFields, string, string][] = [
  ["tenantId", "tenant_id", "text"],
  ["siteId", "site_id", "text"],
  ["facilityId", "facility_id", "text"],
  ["clusterId", "cluster_id", "text"],
  ["zoneId", "zone_id", "text"],
  ["intervalStart", "interval_start", "timestamptz"],
  ["intervalEnd", "interval_end", "timestamptz"],
  ["itLoadKw", "it_load_kw", "float8"],
  ["facilityPowerKw", "facility_power_kw", "float8"],
  ["upsEfficiencyPct", "ups_efficiency_pct", "float8"],
  ["pueReported", "pue_reported", "float8"],
  ["carbonIntensityGco2PerKwh", "carbon_intensity_gco2_per_kwh", "float8"],
  ["energyPricePerKwh", "energy_price_per_kwh", "float8"],
  ["currency", "currency", "text"],
  ["avgRackInletC", "avg_rack_inlet_c", "float8"],
  ["p95RackInletC", "p95_rack_inlet_c", "float8"],
  ["hotspotRackCount", "hotspot_rack_count", "int"],
  ["supplyTempC", "supply_temp_c", "float8"],
  ["returnTempC", "return_temp_c", "float8"],
  ["coolingSetpointC", "cooling_setpoint_c", "float8"],
  ["chillerKw", "chiller_kw", "float8"],
  ["fanPowerKw", "fan_power_kw", "float8"],
  ["coolingValvePositionPct", "cooling_valve_position_pct", "float8"],
  ["cpuUtilPct", "cpu_util_pct", "float8"],
  ["gpuUtilPct", "gpu_util_pct", "float8"],
  ["queueDepth", "queue_depth", "int"],
  ["batchPct", "batch_pct", "float8"],
  ["latencySensitivePct", "latency_sensitive_pct", "float8"],
  ["tokensPerWattEst", "tokens_per_watt_est", "float8"],
];

const AUDIT_COLUMNS: [string, string][] = [
  ["id", "uuid"],
  ["occurred_at", "timestamptz"],
  ["actor_type", "text"],
  ["actor_id", "text"],
  ["actor_label", "text"],
  ["tenant_id", "text"],
  ["action", "text"],
  ["target_type", "text"],
  ["target_id", "text"],
  ["inputs", "jsonb"],
  ["outputs", "jsonb"],
  ["result", "text"],
  ["dataset_version", "text"],
  ["biocore_version", "text"],
  ["app_version", "text"],
  ["git_commit", "text"],
  ["trace_id", "text"],
  ["span_id", "text"],
  ["request_id", "text"],
  ["ip", "text"],
  ["user_agent", "text"],
];

const INSERT_AUDIT_FROM = (json: string) => `
  insert into audit_event (${AUDIT_COLUMNS.map(([c]) => c).join(", ")})
  select ${AUDIT_COLUMNS.map(([c]) => `a.${c}`).join(", ")}
    from json_to_recordset(${json}::json) as a(n int, ${AUDIT_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ")})`;

/**
 * $1 requests, $2 observations, $3 jobs, $4 audit events of single documents (each inserted only
 * when the request it names was created). Answers the created requests' ids and the stored
 * observations (id and point).
 */
const INSERT_DOCUMENTS = `
  with r as (
    insert into mass_request (id, kind, schema_version, tenant_id, site_id, facility_id, cluster_id, zone_id, correlation_id, request_id,
      idempotency_key, principal_key, payload_hash, raw, normalized, warnings, response_status, response_body, traceparent, trace_id, span_id,
      created_by_type, created_by_id, received_at, normalized_at, updated_at)
    select x.id, x.kind::"MassKind", x.schema_version, x.tenant_id, x.site_id, x.facility_id, x.cluster_id, x.zone_id, x.correlation_id, x.request_id,
      x.idempotency_key, x.principal_key, x.payload_hash, x.raw, x.normalized::jsonb, x.warnings::jsonb, 201, x.response_body::jsonb, x.traceparent, x.trace_id, x.span_id,
      x.created_by_type, x.created_by_id, x.received_at, x.normalized_at, x.received_at
    from json_to_recordset($1::json) as x(n int, id uuid, kind text, schema_version text, tenant_id text, site_id text, facility_id text, cluster_id text, zone_id text,
      correlation_id text, request_id text, idempotency_key text, principal_key text, payload_hash text, raw json, normalized json, warnings json, response_body json,
      traceparent text, trace_id text, span_id text, created_by_type text, created_by_id text, received_at timestamptz, normalized_at timestamptz)
    order by x.n
    on conflict (principal_key, idempotency_key) do nothing
    returning id),
  o as (
    insert into observation (mass_request_id, ${OBSERVATION_COLUMNS.map(([, c]) => c).join(", ")})
    select y.mass_request_id, ${OBSERVATION_COLUMNS.map(([, c]) => `y.${c}`).join(", ")}
    from json_to_recordset($2::json) as y(n int, mass_request_id uuid, ${OBSERVATION_COLUMNS.map(([, c, t]) => `${c} ${t}`).join(", ")})
    where y.mass_request_id in (select id from r)
    order by y.n),
  j as (
    insert into recommendation_job (id, mass_request_id, tenant_id, reason, updated_at)
    select gen_random_uuid(), z.mass_request_id, z.tenant_id, 'ingest', now()
    from (select distinct on (z.series) z.*
            from json_to_recordset($3::json) as z(n int, series text, mass_request_id uuid, tenant_id text)
           where z.mass_request_id in (select id from r)
           order by z.series, z.n desc) z
    order by z.n),
  a as (${INSERT_AUDIT_FROM("$4")} where a.target_id::uuid in (select id from r) order by a.n)
  select coalesce(json_agg(id::text), '[]') as created from r`;

/**
 * The stored answers of the keys $2 other than the requests $3 (those this transaction created):
 * one unique-index lookup per key whatever the generic plan's estimates (an `in (…)` list let it
 * scan every request of the principal, a cost that grew with the table).
 */
const SELECT_STORED = `
  select m.id::text as id, m.idempotency_key, m.payload_hash, m.response_body
    from json_array_elements_text($2::json) as k(key)
    cross join lateral (select * from mass_request m where m.principal_key = $1 and m.idempotency_key = k.key limit 1) m
   where m.id <> all($3::uuid[])`;

function observationRow(n: number, massRequestId: string, o: ObservationFields): Record<string, unknown> {
  const row: Record<string, unknown> = { n, mass_request_id: massRequestId };
  // Absent signals are left out (json_to_recordset reads a missing key as null): most readings
  // carry a handful of the 29 columns.
  for (const [field, column] of OBSERVATION_COLUMNS) {
    const v = o[field];
    if (v !== undefined && v !== null) row[column] = v instanceof Date ? v.toISOString() : v;
  }
  return row;
}

function auditJson(n: number, input: AuditInput): Record<string, unknown> {
  const r = auditRow(input);
  return {
    n,
    id: r.id,
    occurred_at: r.occurredAt.toISOString(),
    actor_type: r.actorType,
    actor_id: r.actorId,
    actor_label: r.actorLabel,
    tenant_id: r.tenantId,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    inputs: r.inputs,
    outputs: r.outputs,
    result: r.result,
    dataset_version: r.datasetVersion,
    biocore_version: r.biocoreVersion,
    app_version: r.appVersion,
    git_commit: r.gitCommit,
    trace_id: r.traceId,
    span_id: r.spanId,
    request_id: r.requestId,
    ip: r.ip,
    user_agent: r.userAgent,
  };
}

/**
 * BioCore is asked after the answer, by the worker: once per series (tenant and assets) a call
 * stores, about its latest reading (latest interval, then the later document). A single document is
 * its series' only one; a collector's batch of a day of one-minute readings for ten clusters asks
 * ten times, about the state each cluster is in now, not 14,400 times about minutes already past
 * (a queue the worker would drain for hours: BENCHMARKS.md, "MASS batches"). `n` ranks the
 * candidates; the statement keeps the highest-ranked *created* one of each series, so a series
 * whose latest document was a replay is still asked about its latest new reading.
 */
function recommendationJobs(
  inOrder: StoreCandidate[],
): { n: number; series: string; mass_request_id: string; tenant_id: string }[] {
  const asked = inOrder.filter((c) => c.prepared.kind === "enterprise" || c.prepared.observation);
  const at = (c: StoreCandidate) => c.prepared.observation?.intervalStart.getTime() ?? Number.NEGATIVE_INFINITY;
  const ranked = asked.map((c, order) => ({ c, order })).sort((a, b) => at(a.c) - at(b.c) || a.order - b.order);
  return ranked.map(({ c }, n) => {
    const o = c.prepared.observation;
    const assets = o
      ? [o.siteId, o.facilityId ?? null, o.clusterId ?? null, o.zoneId ?? null]
      : [c.prepared.assets.siteId, c.prepared.assets.facilityId, c.prepared.assets.clusterId, c.prepared.assets.zoneId];
    return {
      n,
      series: JSON.stringify([c.prepared.tenantId, ...assets]),
      mass_request_id: c.id,
      tenant_id: c.prepared.tenantId,
    };
  });
}

const byKey = (a: StoreCandidate, b: StoreCandidate) =>
  a.prepared.idempotencyKey < b.prepared.idempotencyKey
    ? -1
    : a.prepared.idempotencyKey > b.prepared.idempotencyKey
      ? 1
      : 0;

/**
 * Stores `unique` (documents with distinct keys) in `tx`. Answers the ids of the requests created
 * and, for every key that was already stored, its stored answer.
 */
export async function storeMassDocuments(
  tx: StoreTx,
  unique: StoreCandidate[],
  options: StoreOptions,
): Promise<{ created: Set<string>; stored: Map<string, StoredAnswer> }> {
  const { principal } = options;
  const principalKey = `${principal.kind}:${principal.id}`;
  const { traceId, spanId } = currentTraceIds();
  const normalizedAt = new Date().toISOString();
  const receivedAt = options.receivedAt.toISOString();
  const requests = [...unique].sort(byKey).map((c, n) => ({
    n,
    id: c.id,
    kind: c.prepared.kind,
    schema_version: c.prepared.schemaVersion,
    tenant_id: c.prepared.tenantId,
    site_id: c.prepared.assets.siteId,
    facility_id: c.prepared.assets.facilityId,
    cluster_id: c.prepared.assets.clusterId,
    zone_id: c.prepared.assets.zoneId,
    correlation_id: c.prepared.correlationId,
    request_id: c.prepared.requestId,
    idempotency_key: c.prepared.idempotencyKey,
    principal_key: principalKey,
    payload_hash: c.prepared.payloadHash,
    raw: c.raw,
    normalized: c.prepared.normalized,
    warnings: c.prepared.warnings,
    response_body: c.response,
    traceparent: c.prepared.traceparent,
    trace_id: traceId,
    span_id: spanId,
    created_by_type: principal.kind,
    created_by_id: principal.id,
    received_at: receivedAt,
    normalized_at: normalizedAt,
  }));
  // In the documents' order: of two readings for one series and instant, the later document's counts (the highest id).
  const inOrder = [...unique].sort((a, b) => a.index - b.index);
  const observations = inOrder
    .filter((c) => c.prepared.observation)
    .map((c, n) => observationRow(n, c.id, c.prepared.observation!));
  const jobs = recommendationJobs(inOrder);
  const audits = options.auditEach ? inOrder.map((c, n) => auditJson(n, options.auditEach!(c))) : [];

  // Where the readings fall: the rollups' locks and points (an observation is its own point).
  const points: MassPoint[] = inOrder.flatMap((c) => (c.prepared.observation ? [c.prepared.observation] : []));
  const ids = unique.map((c) => c.id);
  const rollups = addMassObservationsSteps(points, ids);
  const steps: PgStep[] = [
    {
      text: INSERT_DOCUMENTS,
      values: [JSON.stringify(requests), JSON.stringify(observations), JSON.stringify(jobs), JSON.stringify(audits)],
    },
    // After the keys (every writer takes keys, then series-days: no deadlock), before the settling
    // statement, whose snapshot then holds what the lock's previous holder committed.
    ...(rollups ? [rollups.lock, rollups.settle] : []),
    {
      text: SELECT_STORED,
      values: [principalKey, JSON.stringify(unique.map((c) => c.prepared.idempotencyKey)), ids],
    },
  ];
  const results = await tx.many(steps);
  const inserted = results[0]![0] as { created: string[] };
  const replaced = rollups ? results[2]! : [];
  const found = results[results.length - 1] as {
    id: string;
    idempotency_key: string;
    payload_hash: string;
    response_body: Record<string, unknown>;
  }[];
  const created = new Set(inserted.created);
  const stored = new Map<string, StoredAnswer>();
  // The insert waited for any transaction holding one of the skipped keys; they are committed now.
  for (const f of found)
    stored.set(f.idempotency_key, { id: f.id, payloadHash: f.payload_hash, responseBody: f.response_body });
  // A reading that replaced another: its series' hours and days recomputed, under the locks.
  await recomputeReplaced(tx, replaced);
  const events = options.auditAll && created.size ? options.auditAll(inOrder.filter((c) => created.has(c.id))) : [];
  // With the commit, in one round trip: the batch's audit events, if any.
  await tx.many(
    events.length
      ? [
          {
            text: INSERT_AUDIT_FROM("$1") + " order by a.n",
            values: [JSON.stringify(events.map((e, n) => auditJson(n, e)))],
          },
        ]
      : [],
    { commit: true },
  );
  return { created, stored };
}
