// The audit key: AUDIT_HMAC_KEY from the environment (required in production, see lib/env.ts),
// or outside production a fixed development key, with a warning, so a local demo still chains.
import { env } from "@/lib/env";
import { logger } from "@/lib/observability/logger";

const state = globalThis as unknown as { pibAuditKeyWarned?: boolean };

export function auditKey(): string {
  const e = env();
  if (e.auditKeyIsDefault && !state.pibAuditKeyWarned) {
    state.pibAuditKeyWarned = true;
    logger.warn(
      "AUDIT_HMAC_KEY is not set: the audit chain is keyed with the public development key and proves nothing against tampering",
      {
        hint: "set AUDIT_HMAC_KEY to at least 32 random bytes",
      },
    );
  }
  return e.auditKey;
}
