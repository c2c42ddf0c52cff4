// Prometheus metrics of this process (prom-client), kept on globalThis: Next.js may load this module
// in more than one bundle (instrumentation, route handlers), and they must share one registry.
// Gauges that describe shared state (job queue, audit chain, database pool, BioCore's circuit) are
// read when Prometheus scrapes, through collectors registered by the code that owns that state.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    httpDuration: new Histogram({
      name: "pib_http_server_request_duration_seconds",
      help: "API request duration by route template (dynamic segments as :name), method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.8, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    massRequests: new Counter({
      name: "pib_mass_requests_total",
      help: "MASS requests accepted or rejected (by the first failing validation layer)",
      labelNames: ["result", "layer"] as const,
      registers: [registry],
    }),
    massReplays: new Counter({
      name: "pib_mass_idempotent_replays_total",
      help: "MASS requests answered from an earlier identical request (Idempotent-Replayed)",
      registers: [registry],
    }),
    datasetRows: new Counter({
      name: "pib_dataset_rows_loaded_total",
      help: "CSV dataset rows stored",
      registers: [registry],
    }),
    biocoreDuration: new Histogram({
      name: "pib_biocore_call_duration_seconds",
      help: "BioCore /recommend calls by outcome, retries and backoff included",
      labelNames: ["outcome"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers: [registry],
    }),
    biocoreCalls: new Counter({
      name: "pib_biocore_calls_total",
      help: "BioCore /recommend calls by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    biocoreAttempts: new Counter({
      name: "pib_biocore_call_attempts_total",
      help: "HTTP attempts made to BioCore (a call may retry)",
      registers: [registry],
    }),
    biocoreCache: new Counter({
      name: "pib_biocore_cache_total",
      help: "BioCore answers by cache result",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof create>;
const g = globalThis as unknown as { pibMetrics?: Metrics; pibMetricCollectors?: Set<string> };

export function metrics(): Metrics {
  g.pibMetrics ??= create();
  return g.pibMetrics;
}

/** A gauge read at scrape time; registered once per name. */
export function registerGauge(
  name: string,
  help: string,
  labelNames: string[],
  collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void> | void,
): void {
  g.pibMetricCollectors ??= new Set();
  if (g.pibMetricCollectors.has(name)) return;
  g.pibMetricCollectors.add(name);
  new Gauge({
    name,
    help,
    labelNames,
    registers: [metrics().registry],
    async collect() {
      this.reset();
      await collect((labels, value) => (labelNames.length ? this.set(labels, value) : this.set(value)));
    },
  });
}
