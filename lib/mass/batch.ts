// A batch of MASS documents (enterprise v1.1 and MASS Simple, mixed) from one collector call.
//
// Each document is checked on its own, exactly as the single routes check it (prepareMass: four
// layers, normalization, hash, tenant access); an invalid one is answered with its problems and
// writes nothing. Every valid document is then stored in ONE transaction by the single routes'
// storage path (repo/store.ts: a fixed number of set-based statements however many documents): either
// all of them are stored or, on a database error, none is and the whole call can simply be retried
// (each document is idempotent by its key). No savepoints are needed: every per-document outcome
// is decided without a failing statement. Idempotency is per principal and key, as on the single
// routes: a key already stored is a replay (same payload hash) or a conflict.
import "server-only";
import { randomUUID } from "node:crypto";
import { actorOf, type AuditInput, type RequestContext } from "@/lib/audit/types";
import type { Principal } from "@/lib/access/principal";
import { canAccessTenant } from "@/lib/access/tenant-scope";
import { wakeRecommendationWorker } from "@/lib/background/worker-signal";
import { withObservationMonths } from "@/lib/observations/partitions";
import { env } from "@/lib/env";
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { metrics } from "@/lib/observability/metrics";
import { traced } from "@/lib/observability/tracing";
import type { BatchEntry } from "./batch-body";
import type { ObservationFields } from "./extract-observation";
import { acceptedBody, prepareMass } from "./ingest";
import { inStoreTransaction, storeMassDocuments } from "./repo/store";
import type { MassWarning, Prepared, StoreCandidate, StoredAnswer } from "./types";
import { STORABLE_INSTANT_RULE, storableInstant, utcSeconds } from "./values";

export type BatchItemStatus = "created" | "replayed" | "invalid" | "conflict";

export type BatchItemResult = {
  index: number;
  idempotency_key: string | null;
  status: BatchItemStatus;
  id: string | null;
  payload_hash: string | null;
  warnings: MassWarning[];
  detail: string | null;
  errors: FieldProblem[];
};

export type BatchResult = {
  batch_id: string;
  received_at_utc: string;
  summary: { items: number; created: number; replayed: number; invalid: number; conflict: number };
  items: BatchItemResult[];
};

export type BatchInput = {
  entries: BatchEntry[];
  principal: Principal;
  context: RequestContext;
  traceparentHeader: string | null;
  now?: Date;
};

/** The keys a collector's key must be made of (the contract's rule for enterprise keys). */
const KEY = /^[\x20-\x7E]{8,255}$/;
/** The audit trail bounds every array it records (lib/audit/redact.ts): one event per this many items. */
const AUDIT_ITEMS_PER_EVENT = 200;
const SIMPLE_KEYS = new Set(["idempotency_key", "payload"]);

type Candidate = StoreCandidate;
type Stored = StoredAnswer;

/** Answers every document of the batch; throws a 422 problem (with every item's answer) when none was accepted. */
export async function ingestMassBatch(input: BatchInput): Promise<{ body: BatchResult; replayed: boolean }> {
  const receivedAt = input.now ?? new Date();
  const batchId = randomUUID();
  const results: BatchItemResult[] = new Array(input.entries.length);
  const candidates: Candidate[] = [];
  for (const entry of input.entries) {
    if ("problem" in entry) {
      results[entry.index] = invalid(entry.index, null, "The document could not be read", [entry.problem]);
      continue;
    }
    const checked = checkItem(entry.value, input, receivedAt);
    if ("problems" in checked) {
      results[entry.index] = invalid(entry.index, keyOf(entry.value), checked.detail, checked.problems);
      continue;
    }
    const prepared = checked.prepared;
    const id = randomUUID();
    const response = acceptedBody(id, prepared, receivedAt);
    candidates.push({ index: entry.index, raw: entry.value, prepared, id, response });
  }

  // The first document with a key is the one stored; a later one with the same key is answered
  // like a resend of it (replayed when the payload is the same, a conflict otherwise).
  const first = new Map<string, Candidate>();
  for (const c of candidates) if (!first.has(c.prepared.idempotencyKey)) first.set(c.prepared.idempotencyKey, c);
  const unique = [...first.values()];

  const attributes = {
    "pib.mass.batch_id": batchId,
    "pib.mass.batch_items": input.entries.length,
    "pib.mass.batch_valid": candidates.length,
  };
  const { created, stored } = unique.length
    ? await traced("mass.ingest_batch", attributes, () => storeBatch(input, unique, batchId, receivedAt))
    : { created: new Set<string>(), stored: new Map<string, Stored>() };

  for (const c of unique)
    if (created.has(c.id))
      stored.set(c.prepared.idempotencyKey, {
        id: c.id,
        payloadHash: c.prepared.payloadHash,
        responseBody: c.response,
      });
  for (const c of candidates) {
    const key = c.prepared.idempotencyKey;
    if (first.get(key) === c && created.has(c.id)) {
      results[c.index] = {
        index: c.index,
        idempotency_key: key,
        status: "created",
        id: c.id,
        payload_hash: c.prepared.payloadHash,
        warnings: c.prepared.warnings,
        detail: null,
        errors: [],
      };
      continue;
    }
    // Every key was either stored now or found stored (requests are never deleted, only tombstoned).
    const s = stored.get(key);
    if (!s) throw new Error(`MASS batch: idempotency key neither stored nor found: ${key}`);
    if (s.payloadHash === c.prepared.payloadHash) {
      const warnings = Array.isArray(s.responseBody.warnings) ? (s.responseBody.warnings as MassWarning[]) : [];
      results[c.index] = {
        index: c.index,
        idempotency_key: key,
        status: "replayed",
        id: typeof s.responseBody.id === "string" ? s.responseBody.id : s.id,
        payload_hash: s.payloadHash,
        warnings,
        detail: null,
        errors: [],
      };
    } else {
      results[c.index] = {
        index: c.index,
        idempotency_key: key,
        status: "conflict",
        id: null,
        payload_hash: c.prepared.payloadHash,
        warnings: [],
        detail: "This idempotency key was already used with a different payload",
        errors: [
          {
            pointer: c.prepared.kind === "enterprise" ? "/request/idempotency_key" : "/idempotency_key",
            detail: "reused with a different payload",
            code: "idempotency_key_reused",
          },
        ],
      };
    }
  }

  const count = (s: BatchItemStatus) => results.filter((r) => r.status === s).length;
  const summary = {
    items: results.length,
    created: count("created"),
    replayed: count("replayed"),
    invalid: count("invalid"),
    conflict: count("conflict"),
  };
  const m = metrics();
  if (summary.created) m.massRequests.inc({ result: "accepted", layer: "" }, summary.created);
  if (summary.replayed) m.massReplays.inc(summary.replayed);
  for (const r of results) {
    if (r.status === "invalid")
      m.massRequests.inc({ result: "rejected", layer: r.errors.find((e) => e.layer)?.layer ?? "structural" });
    if (r.status === "conflict") m.massRequests.inc({ result: "rejected", layer: "idempotency" });
  }
  if (summary.created) wakeRecommendationWorker();
  const body: BatchResult = { batch_id: batchId, received_at_utc: utcSeconds(receivedAt), summary, items: results };
  if (summary.created + summary.replayed === 0) {
    const errors = results.flatMap((r) => r.errors.map((e) => ({ ...e, pointer: `/${r.index}${e.pointer}` })));
    throw new AppError(
      "validation_failed",
      `None of the ${plural(results.length, "document")} was accepted (${plural(errors.length, "problem")})`,
      {
        errors,
        extensions: { batch_id: batchId, summary, items: results },
      },
    );
  }
  return { body, replayed: summary.replayed === results.length };
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

function invalid(index: number, key: string | null, detail: string, errors: FieldProblem[]): BatchItemResult {
  return { index, idempotency_key: key, status: "invalid", id: null, payload_hash: null, warnings: [], detail, errors };
}

/** The key a document names, valid or not (for its answer). */
function keyOf(value: unknown): string | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const key = "payload" in v ? v.idempotency_key : (v.request as Record<string, unknown> | undefined)?.idempotency_key;
  return typeof key === "string" ? key : null;
}

type Checked = { prepared: Prepared } | { detail: string; problems: FieldProblem[] };

/**
 * One document through the single routes' checks. A MASS Simple item is `{idempotency_key, payload}`
 * (the key the single route takes from the Idempotency-Key header); anything else is an enterprise
 * document, whose key is its own `request.idempotency_key`.
 */
function checkItem(value: unknown, input: BatchInput, now: Date): Checked {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return {
      detail: "The document is not a JSON object",
      problems: [
        {
          pointer: "",
          detail: 'must be an enterprise MASS document or {"idempotency_key", "payload"}',
          code: "invalid_type",
          layer: "structural",
        },
      ],
    };
  }
  const max = env().MAX_BODY_BYTES;
  if (Buffer.byteLength(JSON.stringify(value)) > max) {
    return {
      detail: `The document exceeds ${max} bytes`,
      problems: [
        {
          pointer: "",
          detail: `must be at most ${max} bytes (MAX_BODY_BYTES), as a single request`,
          code: "payload_too_large",
          layer: "structural",
        },
      ],
    };
  }
  const doc = value as Record<string, unknown>;
  const simple = "payload" in doc;
  const problems: FieldProblem[] = [];
  if (simple) {
    for (const k of Object.keys(doc))
      if (!SIMPLE_KEYS.has(k))
        problems.push({
          pointer: `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          detail: "is not part of a MASS Simple batch item",
          code: "unknown_key",
          layer: "structural",
        });
    const key = doc.idempotency_key;
    if (key === undefined)
      problems.push({
        pointer: "/idempotency_key",
        detail: "is required: each document of a batch is idempotent by its own key",
        code: "required",
        layer: "structural",
      });
    else if (typeof key !== "string" || !KEY.test(key))
      problems.push({
        pointer: "/idempotency_key",
        detail: "must be 8–255 printable ASCII characters",
        code: "format",
        layer: "semantic",
      });
  }
  let prepared: Prepared | null = null;
  try {
    prepared = prepareMass({
      kind: simple ? "simple" : "enterprise",
      body: simple ? { payload: doc.payload } : doc,
      principal: input.principal,
      idempotencyKeyHeader: simple ? (typeof doc.idempotency_key === "string" ? doc.idempotency_key : "") : null,
      traceparentHeader: input.traceparentHeader,
      now,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const envelope = problems.length;
    problems.push(...(error.errors ?? [{ pointer: "", detail: error.message, code: error.code }]));
    return {
      detail: envelope ? `The MASS request has ${plural(problems.length, "problem")}` : error.message,
      problems,
    };
  }
  if (problems.length) return { detail: `The MASS request has ${plural(problems.length, "problem")}`, problems };
  if (!canAccessTenant(input.principal, prepared.tenantId)) {
    const pointer = simple
      ? typeof (doc.payload as Record<string, unknown>)?.tenant_id === "string"
        ? "/payload/tenant_id"
        : ""
      : "/request/tenant_id";
    return {
      detail: `No access to tenant ${JSON.stringify(prepared.tenantId)}`,
      problems: [
        {
          pointer,
          detail: `tenant ${JSON.stringify(prepared.tenantId)} is outside the caller's tenant scope`,
          code: "forbidden",
        },
      ],
    };
  }
  const storable = observationProblems(prepared.observation);
  if (storable.length)
    return { detail: `The MASS request has ${plural(storable.length, "problem")}`, problems: storable };
  return { prepared };
}

/**
 * The last guard before one multi-row insert (one failing row would fail the whole batch): whole-number
 * columns and storable dates. prepareMass already refuses both, as the single routes do.
 */
function observationProblems(o: ObservationFields | null): FieldProblem[] {
  if (!o) return [];
  const problems: FieldProblem[] = [];
  for (const [field, wire] of [
    ["hotspotRackCount", "hotspot_rack_count"],
    ["queueDepth", "queue_depth"],
  ] as const) {
    const v = o[field];
    if (v !== undefined && !(Number.isInteger(v) && Math.abs(v) <= 2_147_483_647))
      problems.push({ pointer: "", detail: `${wire} must be a whole number`, code: "not_integer", layer: "semantic" });
  }
  if (!storableInstant(o.intervalStart) || !storableInstant(o.intervalEnd))
    problems.push({
      pointer: "",
      detail: `the reading's interval ${STORABLE_INSTANT_RULE}`,
      code: "out_of_range",
      layer: "semantic",
    });
  return problems;
}

async function storeBatch(
  input: BatchInput,
  unique: Candidate[],
  batchId: string,
  receivedAt: Date,
): Promise<{ created: Set<string>; stored: Map<string, Stored> }> {
  // The readings' monthly partitions first (a round trip only for months new to this process).
  const months = unique.flatMap((c) => (c.prepared.observation ? [c.prepared.observation.intervalStart] : []));
  return withObservationMonths(months, () =>
    inStoreTransaction((tx) =>
      storeMassDocuments(tx, unique, {
        principal: input.principal,
        receivedAt,
        auditAll: (accepted) => auditBatch(input, accepted, batchId),
      }),
    ),
  );
}

/**
 * The audit trail records the batch: one event per tenant and 200 documents (the bound the trail
 * puts on a recorded list), each naming every stored document's id, key and payload hash. One
 * event per document would be sealed into the hash chain one by one (~8,500 events/s,
 * BENCHMARKS.md), slower than a batch stores them; the items' hashes are in the chain all the same.
 */
function auditBatch(input: BatchInput, accepted: Candidate[], batchId: string): AuditInput[] {
  const byTenant = new Map<string, Candidate[]>();
  for (const c of accepted) byTenant.set(c.prepared.tenantId, [...(byTenant.get(c.prepared.tenantId) ?? []), c]);
  const events: AuditInput[] = [];
  for (const [tenantId, items] of byTenant) {
    const parts = Math.ceil(items.length / AUDIT_ITEMS_PER_EVENT);
    for (let p = 0; p < parts; p++) {
      const chunk = items.slice(p * AUDIT_ITEMS_PER_EVENT, (p + 1) * AUDIT_ITEMS_PER_EVENT);
      events.push({
        actor: actorOf(input.principal),
        action: "mass.ingest_batch",
        targetType: "mass_batch",
        targetId: batchId,
        tenantId,
        inputs: {
          batch_id: batchId,
          documents: input.entries.length,
          stored_for_tenant: items.length,
          part: p + 1,
          parts,
        },
        outputs: {
          items: chunk.map((c) => ({
            index: c.index,
            id: c.id,
            kind: c.prepared.kind,
            idempotency_key: c.prepared.idempotencyKey,
            payload_hash: c.prepared.payloadHash,
            observation: Boolean(c.prepared.observation),
          })),
        },
        context: input.context,
      });
    }
  }
  return events;
}
