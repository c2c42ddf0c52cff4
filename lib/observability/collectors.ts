// Gauges read when Prometheus scrapes: the recommendation job queue, the audit chain, the database
// pool and BioCore's circuit. Registered on the first scrape (they need the database).
import "server-only";
import { bioCore } from "@/lib/biocore/instance";
import { queueStats } from "@/lib/biocore/jobs";
import { db, poolUsage } from "@/lib/db";
import { registerGauge } from "./metrics";

const CIRCUIT: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

export function registerCollectors(): void {
  registerGauge("pib_recommendation_jobs", "Recommendation jobs by status", ["status"], async (set) => {
    const q = await queueStats();
    set({ status: "pending" }, q.pending);
    set({ status: "running" }, q.running);
    set({ status: "failed" }, q.failed);
  });
  registerGauge("pib_recommendation_job_oldest_pending_seconds", "Age of the oldest pending recommendation job (0 when none)", [], async (set) => {
    set({}, (await queueStats()).oldestPendingSeconds ?? 0);
  });
  registerGauge("pib_audit_chain_length", "Audit events linked into the hash chain", [], async (set) => {
    const [row] = await db().$queryRaw<{ n: number | null }[]>`select max(chain_pos)::float8 as n from audit_event`;
    set({}, row?.n ?? 0);
  });
  registerGauge("pib_db_pool_connections", "Main database pool: open, idle connections and waiting clients", ["state"], (set) => {
    const p = poolUsage() ?? { total: 0, idle: 0, waiting: 0 };
    set({ state: "total" }, p.total);
    set({ state: "idle" }, p.idle);
    set({ state: "waiting" }, p.waiting);
  });
  registerGauge("pib_biocore_circuit_state", "BioCore circuit breaker: 0 closed, 1 half-open, 2 open", [], (set) => {
    set({}, CIRCUIT[bioCore().client.state().breaker] ?? 0);
  });
}
