// Each audit event's hash covers the previous event's hash and every field of the event, so
// changing, inserting or removing a row breaks the chain from that point on.
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";

export const GENESIS_HASH = "0".repeat(64);
export const HASH_VERSION = 1;

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

export function hashEvent(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({ v: HASH_VERSION, prevHash, ...fields });
  return createHash("sha256").update(body).digest("hex");
}
