// BioCore's gauges for Prometheus (read on each scrape): the recommendation job queue and the
// client's circuit breaker. Registered by the metrics route (app/api/metrics), with the others.
import "server-only";
import { registerGauge } from "@/lib/observability/metrics";
import { bioCore } from "./instance";
import { queueStats } from "./repo/jobs";

const CIRCUIT: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

export function registerBioCoreGauges(): void {
  registerGauge("pib_recommendation_jobs", "Recommendation jobs by status", ["status"], async (set) => {
    const q = await queueStats();
    set({ status: "pending" }, q.pending);
    set({ status: "running" }, q.running);
    set({ status: "failed" }, q.failed);
  });
  registerGauge(
    "pib_recommendation_job_oldest_pending_seconds",
    "Age of the oldest pending recommendation job (0 when none)",
    [],
    async (set) => {
      set({}, (await queueStats()).oldestPendingSeconds ?? 0);
    },
  );
  registerCircuitGauge();
}

/** This process's client's breaker (each process has its own): the worker process registers it too. */
export function registerCircuitGauge(): void {
  registerGauge("pib_biocore_circuit_state", "BioCore circuit breaker: 0 closed, 1 half-open, 2 open", [], (set) => {
    set({}, CIRCUIT[bioCore().client.state().breaker] ?? 0);
  });
}
