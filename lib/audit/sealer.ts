// Runs the sealer every second, in the server process (WORKER_MODE=inline) or in the worker
// process (WORKER_MODE=process, scripts/worker.ts), outside any request's trace. With several replicas each runs one; the
// advisory lock in sealBatch makes them take turns, so the chain never forks. Every
// AUDIT_ANCHOR_INTERVAL_MS it also anchors the head outside the database (anchor.ts).
import "server-only";
import { startLoop, type BackgroundLoop } from "@/lib/background/loop";
import { setting } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { anchorIfDue, ChainRewrittenError, reportRewrite } from "./anchor";
import { auditKey } from "./key";
import { sealAuditChain } from "./seal-chain";

const state = globalThis as unknown as { pibSealer?: BackgroundLoop };

export function startAuditSealer(intervalMs = setting("AUDIT_SEAL_INTERVAL_MS")): void {
  if (state.pibSealer || !setting("DATABASE_URL")) return;
  // Fails the start (like AUTH_SECRET) when production has no usable key; warns on the default.
  auditKey();
  state.pibSealer = startLoop({
    everyMs: intervalMs,
    pass: () => sealAuditChain().then(() => anchorIfDue()),
    onError: (error) => {
      if (error instanceof ChainRewrittenError) reportRewrite(error, "sealer");
      else logger.warn("audit sealing failed; will retry", { error });
    },
  });
}

export function stopAuditSealer(): void {
  state.pibSealer?.stop();
}
