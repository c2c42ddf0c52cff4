// `POST /api/v1/biocore/jobs/retry-failed` and the status panel's button: every recommendation job
// of the caller's tenants that failed for good goes back to the queue with its attempts reset, its
// MASS request back to pending, in one transaction with one audit event per tenant. A BioCore
// outage never fails a job (it waits the outage out); what fails is a call BioCore refused (4xx), an
// answer that broke the contract, or an error of the worker itself, each with its last_error kept
// on the job until the retry.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { requeueFailedJobs, resetFailedMassRequests } from "./repo/jobs";
import { inTransaction } from "./repo/transaction";
import { wakeRecommendationWorker } from "@/lib/background/worker-signal";

export type RetryFailedResult = { retried: number; job_ids: string[] };

export async function retryFailedJobs(principal: Principal, context: RequestContext): Promise<RetryFailedResult> {
  const retried = await inTransaction(async (tx) => {
    const rows = await requeueFailedJobs(principal, tx);
    if (rows.length === 0) return rows;
    await resetFailedMassRequests(
      tx,
      rows.map((r) => r.mass_request_id),
    );
    const byTenant = new Map<string, typeof rows>();
    for (const r of rows) {
      const jobs = byTenant.get(r.tenant_id);
      if (jobs) jobs.push(r);
      else byTenant.set(r.tenant_id, [r]);
    }
    for (const [tenantId, jobs] of byTenant) {
      await recordAudit(tx, {
        actor: actorOf(principal),
        action: "biocore.jobs.retry",
        targetType: "recommendation_job",
        tenantId,
        inputs: { job_ids: jobs.map((j) => j.id) },
        outputs: { retried: jobs.length, last_errors: [...new Set(jobs.map((j) => j.last_error ?? ""))].slice(0, 10) },
        context,
      });
    }
    return rows;
  });
  if (retried.length) wakeRecommendationWorker();
  return { retried: retried.length, job_ids: retried.map((r) => r.id) };
}
