// The audit trail's gauge for Prometheus (read on each scrape): how many events the hash chain links.
import "server-only";
import { registerGauge } from "@/lib/observability/metrics";
import { chainLength } from "./repo";

export function registerAuditGauges(): void {
  registerGauge("pib_audit_chain_length", "Audit events linked into the hash chain", [], async (set) => {
    set({}, await chainLength());
  });
}
