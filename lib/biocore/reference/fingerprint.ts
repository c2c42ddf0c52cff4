import { createHash } from "node:crypto";
import { payloadHash } from "@/lib/mass/payload-hash";
import { POLICY_ID } from "./constants";

/** "sha256:<hex>" of the canonical JSON of the request: the pilot's payload_hash of the same document. */
export const inputFingerprint = (document: unknown): string => `sha256:${payloadHash(document)}`;

/** A decision id that depends only on the input, the recommendation and the policy. */
export function decisionId(fingerprint: string, recId: string): string {
  return `dec-${createHash("sha256").update(`${fingerprint}|${recId}|${POLICY_ID}`).digest("hex").slice(0, 16)}`;
}
