// Runs the sealer in the server process every second. With several replicas each runs one; the
// advisory lock in sealBatch makes them take turns, so the chain never forks.
import "server-only";
import { logger } from "@/lib/observability/logger";
import { sealAuditChain } from "./seal-chain";

const state = globalThis as unknown as { pibSealer?: NodeJS.Timeout };

export function startAuditSealer(intervalMs = Number(process.env.AUDIT_SEAL_INTERVAL_MS ?? 1000)): void {
  if (state.pibSealer || !process.env.DATABASE_URL) return;
  let running = false;
  state.pibSealer = setInterval(() => {
    if (running) return;
    running = true;
    sealAuditChain()
      .catch((error: unknown) => logger.warn("audit sealing failed; will retry", { error }))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  state.pibSealer.unref();
}
