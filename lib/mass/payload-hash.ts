import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/canonical";

/** SHA-256 (hex) of the canonical JSON (sorted keys) of a normalized request. */
export function payloadHash(normalized: unknown): string {
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex");
}
