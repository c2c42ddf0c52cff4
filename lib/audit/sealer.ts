// Runs the sealer in the server process every second. With several replicas each runs one; the
// advisory lock in sealBatch makes them take turns, so the chain never forks. Every
// AUDIT_ANCHOR_INTERVAL_MS it also anchors the head outside the database (anchor.ts).
import "server-only";
import { logger } from "@/lib/observability/logger";
import { anchorIfDue, ChainRewrittenError, reportRewrite } from "./anchor";
import { auditKey } from "./key";
import { sealAuditChain } from "./seal-chain";

const state = globalThis as unknown as { pibSealer?: NodeJS.Timeout };

export function startAuditSealer(intervalMs = Number(process.env.AUDIT_SEAL_INTERVAL_MS ?? 1000)): void {
  if (state.pibSealer || !process.env.DATABASE_URL) return;
  // Fails the start (like AUTH_SECRET) when production has no usable key; warns on the default.
  auditKey();
  let running = false;
  state.pibSealer = setInterval(() => {
    if (running) return;
    running = true;
    sealAuditChain()
      .then(() => anchorIfDue())
      .catch((error: unknown) => {
        if (error instanceof ChainRewrittenError) reportRewrite(error, "sealer");
        else logger.warn("audit sealing failed; will retry", { error });
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  state.pibSealer.unref();
}
