// Each audit event's hash covers the previous event's hash and every field of the event, so
// changing, inserting or removing a row breaks the chain from that point on.
//
// Version 2 (keyed) is an HMAC-SHA-256 under AUDIT_HMAC_KEY, a secret that lives only in the
// environment: someone who can write the table but does not hold the key cannot compute a hash
// that verifies, so they cannot re-chain edited rows. Version 1 (a plain SHA-256) is what events
// sealed before the key existed carry; anyone can compute it, so the verifier accepts it only as
// an unbroken prefix of the chain ("legacy unkeyed") and never after a keyed event. Which version
// sealed an event is derived by recomputing: the two bodies differ ({v: 1} vs {v: 2}) and a hash
// matching both would be a SHA-256 collision.
import { createHash, createHmac } from "node:crypto";
import { canonicalJson } from "./canonical";

export const GENESIS_HASH = "0".repeat(64);
/** The version events are sealed with today (keyed). */
export const HASH_VERSION = 2;

export type HashedFields = {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  tenantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  inputs: unknown;
  outputs: unknown;
  result: string;
  datasetVersion: string | null;
  biocoreVersion: string | null;
  appVersion: string;
  gitCommit: string | null;
  traceId: string | null;
  spanId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
};

/** The keyed hash (version 2): HMAC-SHA-256 under the audit key. */
export function hashEvent(prevHash: string, fields: HashedFields, key: string | Buffer): string {
  const body = canonicalJson({ v: 2, prevHash, ...fields });
  return createHmac("sha256", key).update(body).digest("hex");
}

/** The unkeyed hash (version 1) of events sealed before the key existed: verification only. */
export function hashEventV1(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({ v: 1, prevHash, ...fields });
  return createHash("sha256").update(body).digest("hex");
}
