// The process's own gauges for Prometheus (read on each scrape): the database pool. The domains
// register theirs (lib/biocore/gauges.ts, lib/audit/gauges.ts); the metrics route registers all.
import "server-only";
import { poolUsage } from "@/lib/db";
import { registerGauge } from "./metrics";

export function registerCollectors(): void {
  registerGauge(
    "pib_db_pool_connections",
    "Main database pool: open, idle connections and waiting clients",
    ["state"],
    (set) => {
      const p = poolUsage() ?? { total: 0, idle: 0, waiting: 0 };
      set({ state: "total" }, p.total);
      set({ state: "idle" }, p.idle);
      set({ state: "waiting" }, p.waiting);
    },
  );
}
