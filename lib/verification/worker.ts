// The verification pass (in the server process, or in the worker process with WORKER_MODE=process,
// scripts/worker.ts): every VERIFY_POLL_MS (and when an implementation
// is recorded) it checks the open verifications, re-running a study only when its inputs changed.
// One replica at a time holds the pass (a transaction-scoped advisory lock); the others skip it.
import "server-only";
import { startLoop, type BackgroundLoop } from "@/lib/background/loop";
import { env, setting } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { inTransaction, listOpenVerifications, tryPassLock } from "./repo";
import { checkVerification } from "./verify";

const BATCH = 50;
const PASS_LOCK = 7_311_011; // advisory lock key of the verification pass

const g = globalThis as unknown as { pibVerifier?: BackgroundLoop };

export async function verificationPass(now: Date = new Date()): Promise<number> {
  return inTransaction(
    async (tx) => {
      if (!(await tryPassLock(tx, PASS_LOCK))) return 0;
      let checked = 0;
      for (const { id } of await listOpenVerifications(BATCH)) {
        try {
          const out = await checkVerification(id, now);
          checked++;
          if (out.reported)
            logger.info("verification reported", {
              implementation_id: id,
              report_id: out.reportId,
              status: out.status,
            });
        } catch (error) {
          logger.warn("verification check failed; will retry", { implementation_id: id, error });
        }
      }
      return checked;
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}

export function startVerificationWorker(): void {
  if (g.pibVerifier || !setting("DATABASE_URL") || !env().VERIFY_WORKER) return;
  g.pibVerifier = startLoop({
    everyMs: env().VERIFY_POLL_MS,
    firstAfterMs: 5_000,
    again: true,
    stopOnSignals: true,
    pass: () => verificationPass(),
    onError: (error) => logger.warn("verification pass could not run; will retry", { error }),
  });
}

/** No further pass starts (one under way ends with the process: its transaction rolls back). */
export function stopVerificationWorker(): void {
  g.pibVerifier?.stop();
}
