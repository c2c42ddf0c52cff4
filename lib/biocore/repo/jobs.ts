// The recommendation job queue in PostgreSQL. Jobs are claimed with FOR UPDATE SKIP LOCKED, so
// replicas never take the same one; a claim older than the lease (BIOCORE_JOB_LEASE_SECONDS: a replica that died) is
// taken back; failures come back after an exponential backoff until the attempts run out. The MASS
// request's status follows its job in the same statement: processing once claimed, done when
// answered (or nothing to ask), failed when the attempts run out. A request already done stays
// done when a re-ask fails: its earlier answer stands.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";

export type ClaimedJob = {
  id: string;
  mass_request_id: string;
  tenant_id: string;
  reason: string;
  attempts: number;
  /** The MASS request's trace: the worker's log lines about the job carry it. */
  trace_id: string | null;
};

export async function enqueueRecommendationJob(
  tx: Pick<Tx, "recommendationJob">,
  massRequestId: string,
  tenantId: string,
  reason: "ingest" | "on_demand",
): Promise<{ id: string }> {
  return tx.recommendationJob.create({ data: { massRequestId, tenantId, reason }, select: { id: true } });
}

export async function claimJobs(workerId: string, limit: number): Promise<ClaimedJob[]> {
  return db().$queryRaw<ClaimedJob[]>`
    with claimed as (
      update recommendation_job j
         set status = 'running', locked_at = now(), locked_by = ${workerId}, attempts = j.attempts + 1, updated_at = now()
       where j.id in (
         select id from recommendation_job
          where (status = 'pending' and run_after <= now())
             or (status = 'running' and locked_at < now() - make_interval(secs => ${env().BIOCORE_JOB_LEASE_SECONDS}))
          order by run_after
          limit ${limit}
          for update skip locked)
      returning j.id, j.mass_request_id, j.tenant_id, j.reason, j.attempts),
    moved as (
      update mass_request m set status = 'processing', updated_at = now()
        from claimed c
       where m.id = c.mass_request_id and m.status in ('pending', 'failed') and m.deleted_at is null)
    select c.id::text, c.mass_request_id::text, c.tenant_id, c.reason, c.attempts, m.trace_id
      from claimed c left join mass_request m on m.id = c.mass_request_id`;
}

/**
 * Whether `workerId` still holds the job's claim, the job row locked until the caller's transaction
 * ends. A claim is lost when the lease ran out and another worker took the job, or when it was
 * handed back: the answer is then the other worker's to store.
 */
export async function holdsClaim(tx: Pick<Tx, "$queryRaw">, id: string, workerId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ ok: number }[]>`
    select 1 as ok from recommendation_job where id = ${id}::uuid and status = 'running' and locked_by = ${workerId} for update`;
  return rows.length > 0;
}

/** The job and its MASS request done (in `tx` when given: with what the job stored). */
export async function completeJob(id: string, workerId: string, tx: Pick<Tx, "$executeRaw"> = db()): Promise<void> {
  await tx.$executeRaw`
    with done as (
      update recommendation_job set status = 'done', locked_at = null, locked_by = null, last_error = null, updated_at = now()
       where id = ${id}::uuid and locked_by = ${workerId}
      returning mass_request_id)
    update mass_request m set status = 'done', updated_at = now()
      from done d
     where m.id = d.mass_request_id and m.status in ('pending', 'processing', 'failed')`;
}

/**
 * Back to the queue after `delayMs`, or failed for good once `maxAttempts` are spent (pass
 * Infinity for a job that waits out an outage). `refund`: the attempt the claim counted did not
 * reach BioCore (breaker open), so it is taken back.
 */
export async function retryJob(
  id: string,
  workerId: string,
  attempts: number,
  maxAttempts: number,
  delayMs: number,
  error: string,
  refund = false,
): Promise<"pending" | "failed"> {
  const status = !refund && attempts >= maxAttempts ? "failed" : "pending";
  await db().$executeRaw`
    with retried as (
      update recommendation_job
         set status = ${status}, run_after = now() + make_interval(secs => ${delayMs / 1000}), locked_at = null, locked_by = null, last_error = ${error.slice(0, 1000)}, updated_at = now(),
             attempts = case when ${refund} then greatest(0, attempts - 1) else attempts end
       where id = ${id}::uuid and locked_by = ${workerId}
      returning mass_request_id, status)
    update mass_request m set status = 'failed', updated_at = now()
      from retried r
     where r.status = 'failed' and m.id = r.mass_request_id and m.status in ('pending', 'processing')`;
  return status;
}

/** A stopping worker hands its claimed jobs back (their attempt is not counted). */
export async function releaseJobs(workerId: string): Promise<number> {
  return db()
    .$executeRaw`update recommendation_job set status = 'pending', attempts = greatest(0, attempts - 1), locked_at = null, locked_by = null, updated_at = now() where status = 'running' and locked_by = ${workerId}`;
}

/** The queue's counts: of the given tenants' jobs (a status page), or of every job (metrics). */
export async function queueStats(tenantIds: readonly string[] | null = null): Promise<{
  pending: number;
  running: number;
  failed: number;
  oldestPendingSeconds: number | null;
}> {
  const [row] = await db().$queryRaw<{ pending: number; running: number; failed: number; oldest: number | null }[]>`
    select count(*) filter (where status = 'pending')::int as pending,
           count(*) filter (where status = 'running')::int as running,
           count(*) filter (where status = 'failed')::int as failed,
           extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as oldest
      from recommendation_job
     where ${tenantIds === null ? null : [...tenantIds]}::text[] is null or tenant_id = any(${tenantIds === null ? null : [...tenantIds]}::text[])`;
  return { pending: row!.pending, running: row!.running, failed: row!.failed, oldestPendingSeconds: row!.oldest };
}

export type FailedJobRequeued = { id: string; tenant_id: string; mass_request_id: string; last_error: string | null };

/**
 * Every job of the principal's tenants that failed for good back to pending, its attempts reset;
 * returns them with the last error each had (lib/biocore/retry-failed.ts).
 */
export async function requeueFailedJobs(principal: Principal, tx: Tx): Promise<FailedJobRequeued[]> {
  // An empty tenant list is a principal without a tenant limit: every tenant's jobs.
  const tenants = principal.tenantIds.length ? [...principal.tenantIds] : null;
  return tx.$queryRaw<FailedJobRequeued[]>`
      with old as (
        select id, last_error from recommendation_job
         where status = 'failed' and (${tenants}::text[] is null or tenant_id = any(${tenants}::text[]))
         order by id for update)
      update recommendation_job j
         set status = 'pending', attempts = 0, run_after = now(), locked_at = null, locked_by = null,
             last_error = null, updated_at = now()
        from old
       where j.id = old.id
      returning j.id::text as id, j.tenant_id, j.mass_request_id::text as mass_request_id, old.last_error`;
}

/** The requeued jobs' MASS requests that had failed back to pending, with them. */
export async function resetFailedMassRequests(tx: Tx, massRequestIds: string[]): Promise<void> {
  await tx.$executeRaw`
      update mass_request set status = 'pending', updated_at = now()
       where id = any(${massRequestIds}::uuid[]) and status = 'failed'`;
}
