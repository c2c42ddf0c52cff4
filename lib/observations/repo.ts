// The SQL of the monthly partitions of `observation` and of their retention (./partitions.ts,
// ./retention.ts keep the process's cache of known months and the policy). Both run as SECURITY
// DEFINER functions in the database: the runtime role has no DDL rights.
import "server-only";
import { pgTransaction } from "@/lib/db";

/** Creates the missing partitions of `months` ("YYYY-MM"), one statement. Answers how many were created. */
const ENSURE_MONTHS_SQL =
  "select coalesce(sum(ensure_observation_months(m, m)), 0)::int as created from unnest($1::timestamptz[]) m";

const PASS_LOCK = 7_400_130_022; // advisory lock key of the retention pass

/** A transaction already open on a connection (a streaming load's). */
export type OpenTransaction = { query: (text: string, values: unknown[]) => Promise<unknown> };

/**
 * Runs ensure_observation_months for the months starting at `monthStarts` in a short transaction
 * of its own on the main pool: creating a partition clones the foreign key to mass_request, which
 * locks that table against writes until the commit, so it must not wait for the end of a longer
 * transaction.
 */
export async function createObservationMonths(monthStarts: string[]): Promise<void> {
  await pgTransaction((tx) => tx.query(ENSURE_MONTHS_SQL, [monthStarts]));
}

/**
 * The same in a transaction already open on `tx`, where the months now exist and are only locked
 * (ACCESS SHARE): that makes the next statement see partitions attached since the transaction began.
 */
export async function ensureObservationMonthsIn(tx: OpenTransaction, monthStarts: string[]): Promise<void> {
  await tx.query(ENSURE_MONTHS_SQL, [monthStarts]);
}

/**
 * Drops the months of observations that ended at or before `cutoff` (drop_observation_months_before,
 * which writes each month's audit event from what `audit` answers), under the pass's advisory lock: one replica
 * at a time. Answers the months dropped, or null when another replica holds the pass.
 */
export async function dropObservationMonthsBefore(
  cutoff: Date,
  audit: () => Record<string, unknown>,
): Promise<{ month: Date; partition_name: string; row_count: string }[] | null> {
  return pgTransaction(async (tx) => {
    const [got] = await tx.query<{ ok: boolean }>("select pg_try_advisory_xact_lock($1) as ok", [PASS_LOCK]);
    if (!got?.ok) return null;
    return tx.query<{ month: Date; partition_name: string; row_count: string }>(
      "select month, partition_name, row_count from drop_observation_months_before($1, $2::jsonb)",
      [cutoff, JSON.stringify(audit())],
    );
  });
}
