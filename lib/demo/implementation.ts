// First start: the demo gains one recommendation "implemented" at the generator's setpoint event,
// so the one-command demo shows a verified saving end to end. Built through the ordinary paths: the
// MASS request is validated and normalized like any other and stored with its audit event, the
// reference engine answers it and the answer is stored by the same storeCall as every BioCore answer
// (its narrative flagged as demo data), and the implementation is recorded by the same function as
// the API's, which creates and runs the verification study. Everything is audited as system/demo.
import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import type { Principal } from "@/lib/access/principal";
import { requestCacheKey } from "@/lib/biocore/client/cache-key";
import { recommend, REFERENCE_VERSION } from "@/lib/biocore/reference";
import { storeCall } from "@/lib/biocore/store-call";
import { prepareMass } from "@/lib/mass/ingest";
import { insertObservation } from "@/lib/mass/repo";
import type { Author } from "@/lib/mv/studies";
import { ensureObservationMonths } from "@/lib/observations/partitions";
import { countImplementations, findFirstRecommendation, inTransaction, insertDemoMassRequest } from "./repo";
import { DEMO_IMPLEMENTATION, demoMassRequestBody } from "./request";
import { recordImplementation } from "@/lib/verification/implement";
import { checkVerification } from "@/lib/verification/verify";

const DEMO_ACTOR = { ...SYSTEM_ACTOR, label: "demo data" };
const DEMO_AUTHOR: Author = { actor: DEMO_ACTOR, byType: "system", byId: "demo" };
const DEMO_FLAG =
  " [Demo data: this answer was produced by the built-in reference engine for the demo generator's row before its setpoint event; the implementation record is the generator's raise.]";

export async function ensureDemoImplementation(tenantId: string, log: (line: string) => void): Promise<string | null> {
  if ((await countImplementations(tenantId)) > 0) return null;
  const body = demoMassRequestBody(tenantId);
  // prepareMass reads the principal only for MASS Simple's tenant; the demo principal is never stored.
  const principal: Principal = {
    kind: "user",
    id: "demo",
    label: "demo data",
    role: "admin",
    tenantIds: [tenantId],
    via: "session",
  };
  const prepared = prepareMass({
    kind: "enterprise",
    body,
    principal,
    idempotencyKeyHeader: null,
    traceparentHeader: null,
  });
  const massId = randomUUID();
  const receivedAt = new Date();
  if (prepared.observation) await ensureObservationMonths([prepared.observation.intervalStart]);
  await inTransaction(async (tx) => {
    await insertDemoMassRequest(tx, {
      id: massId,
      kind: "enterprise",
      schemaVersion: prepared.schemaVersion,
      tenantId,
      ...prepared.assets,
      correlationId: prepared.correlationId,
      requestId: prepared.requestId,
      idempotencyKey: prepared.idempotencyKey,
      principalKey: "system:demo",
      payloadHash: prepared.payloadHash,
      raw: body,
      normalized: prepared.normalized,
      warnings: prepared.warnings,
      responseStatus: 201,
      responseBody: { id: massId, status: "pending", payload_hash: prepared.payloadHash },
      traceparent: null,
      createdByType: "system",
      createdById: "demo",
      receivedAt,
      normalizedAt: receivedAt,
    });
    if (prepared.observation) await insertObservation(tx, massId, prepared.observation);
    await recordAudit(tx, {
      actor: DEMO_ACTOR,
      action: "mass.ingest",
      targetType: "mass_request",
      targetId: massId,
      tenantId,
      inputs: {
        kind: "enterprise",
        schema_version: prepared.schemaVersion,
        request_id: prepared.requestId,
        idempotency_key: prepared.idempotencyKey,
      },
      outputs: {
        payload_hash: prepared.payloadHash,
        warnings: prepared.warnings.length,
        observation: Boolean(prepared.observation),
      },
    });
  });

  // The engine answers as of the request's own time (as it would have then), so the demo is the same on every machine.
  const answeredAt = new Date(Date.parse(DEMO_IMPLEMENTATION.effectiveAt) + 5_000);
  const response = recommend(prepared.normalized as never, { now: answeredAt });
  for (const rec of response.response.recommendations) rec.explainability.narrative += DEMO_FLAG;
  await storeCall({
    massRequest: {
      id: massId,
      tenantId,
      siteId: prepared.assets.siteId,
      clusterId: prepared.assets.clusterId,
      zoneId: prepared.assets.zoneId,
    },
    jobId: null,
    request: prepared.normalized,
    response,
    actor: DEMO_ACTOR,
    call: {
      engine: "reference",
      startedAt: answeredAt,
      latencyMs: 0,
      attempts: 1,
      attemptLog: [],
      outcome: "ok",
      httpStatus: 200,
      breakerState: "closed",
      cache: "miss",
      cacheAgeSeconds: null,
      requestKey: requestCacheKey(prepared.normalized),
      biocoreVersion: `pilot-reference ${REFERENCE_VERSION}`,
      errorKind: null,
      errorMessage: null,
      traceparent: null,
      traceId: null,
    },
  });
  const rec = await findFirstRecommendation(massId, "cooling_setpoint");
  if (!rec) {
    log("demo: the reference engine proposed no setpoint change for the demo request; no implementation recorded");
    return null;
  }
  const id = await recordImplementation(
    DEMO_AUTHOR,
    rec,
    {
      outcome: "implemented",
      effective_at: DEMO_IMPLEMENTATION.effectiveAt,
      applied_value: DEMO_IMPLEMENTATION.appliedValueC,
      note: DEMO_IMPLEMENTATION.note,
    },
    null,
  );
  const check = await checkVerification(id);
  log(
    `demo: recommendation ${rec.recId} (cooling setpoint, ${DEMO_IMPLEMENTATION.siteId}/${DEMO_IMPLEMENTATION.clusterId}) recorded as implemented at ${DEMO_IMPLEMENTATION.effectiveAt}; verification ${check.status}`,
  );
  return id;
}
