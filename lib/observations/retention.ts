// Retention of raw observations: OBSERVATION_RETENTION_MONTHS (unset: keep everything). Each UTC
// month that ended before now minus that many months is dropped whole, as its partition
// (drop_observation_months_before, SECURITY DEFINER: the runtime role has no DDL rights), which
// writes one audit event per month (its rows counted) in the same transaction, whoever calls it. A DROP of a partition takes an
// ACCESS EXCLUSIVE lock on `observation` for a moment; the function gives up after a 5 s lock wait
// (a long load or query in the way) and the next pass tries again.
//
// The rollups are kept: the KPIs of dropped months stay available from them (hourly and daily),
// while raw-row reads of those months (observations list, CSV exports, M&V studies needing raw
// intervals) find nothing.
//
// A background pass every hour in the process that runs the background loops (the server, or the
// worker with WORKER_MODE=process); one replica at a time (a transaction-scoped advisory lock).
import "server-only";
import { auditRow } from "@/lib/audit/record-audit";
import { startLoop, type BackgroundLoop } from "@/lib/background/loop";
import { SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/types";
import { env, setting } from "@/lib/env";
import { logger } from "@/lib/observability/logger";
import { forgetObservationMonths, monthKey } from "./partitions";
import { dropObservationMonthsBefore } from "./repo";

const INTERVAL_MS = 60 * 60_000;

export type DroppedMonth = { month: string; partition: string; rows: number };

/** Months that ended at or before this instant are dropped: `now` minus `months` calendar months (UTC). */
export function retentionCutoff(months: number, now: Date = new Date()): Date {
  const cutoff = new Date(now);
  const day = cutoff.getUTCDate();
  cutoff.setUTCDate(1);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  // The same day of that month, or its last day (31 March minus one month: 28 or 29 February).
  const last = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(day, last));
  return cutoff;
}

/**
 * Drops the months of observations older than `months` months. Answers the months dropped, or
 * null when another replica holds the pass.
 */
export async function retentionPass(
  months: number,
  options: { now?: Date; actor?: AuditActor } = {},
): Promise<DroppedMonth[] | null> {
  const cutoff = retentionCutoff(months, options.now);
  // The function writes each month's audit event itself (a caller cannot drop one unrecorded);
  // what the app knows about the drop (actor, setting, version, trace) goes with it.
  const rows = await dropObservationMonthsBefore(cutoff, () => {
    const row = auditRow({
      actor: options.actor ?? SYSTEM_ACTOR,
      action: "observation.retention_drop",
      inputs: { retention_months: months },
    });
    return {
      actor_type: row.actorType,
      actor_id: row.actorId,
      actor_label: row.actorLabel,
      inputs: row.inputs,
      app_version: row.appVersion,
      git_commit: row.gitCommit,
      trace_id: row.traceId,
      span_id: row.spanId,
    };
  });
  const dropped =
    rows?.map((r) => ({
      month: monthKey(new Date(r.month)),
      partition: r.partition_name,
      rows: Number(r.row_count),
    })) ?? null;
  if (dropped?.length) forgetObservationMonths(dropped.map((d) => d.month));
  return dropped;
}

const g = globalThis as unknown as { pibRetention?: BackgroundLoop };

/** Starts the hourly retention pass when OBSERVATION_RETENTION_MONTHS is set. */
export function startRetentionWorker(): void {
  const months = env().OBSERVATION_RETENTION_MONTHS;
  if (g.pibRetention || !setting("DATABASE_URL") || !months) return;
  g.pibRetention = startLoop({
    everyMs: INTERVAL_MS,
    firstAfterMs: 60_000,
    stopOnSignals: true,
    pass: async () => {
      for (const d of (await retentionPass(months)) ?? [])
        logger.info("observation month dropped (retention)", {
          month: d.month,
          rows: d.rows,
          retention_months: months,
        });
    },
    onError: (error) => logger.warn("observation retention pass failed; will retry", { error }),
  });
}

export function stopRetentionWorker(): void {
  g.pibRetention?.stop();
}
