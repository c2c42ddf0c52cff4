// The audit trail's gauge for Prometheus (read on each scrape): how many events the hash chain links.
import "server-only";
import { db } from "@/lib/db";
import { registerGauge } from "@/lib/observability/metrics";

export function registerAuditGauges(): void {
  registerGauge("pib_audit_chain_length", "Audit events linked into the hash chain", [], async (set) => {
    const [row] = await db().$queryRaw<{ n: number | null }[]>`select max(chain_pos)::float8 as n from audit_event`;
    set({}, row?.n ?? 0);
  });
}
