import "server-only";
import type { Principal } from "@/lib/access/principal";
import { auditFilterToQuery, type AuditFilter } from "./audit-filter";
import { countAuditEvents } from "./repo";
import { recordAuditAlone } from "./record-audit";
import { sealAuditChain } from "./seal-chain";
import { actorOf, type RequestContext } from "./types";

/** Exports are operations too: who took which events away, and how many. */
export async function recordAuditExport(
  principal: Principal,
  filter: AuditFilter,
  format: "csv" | "pdf",
  context: RequestContext,
): Promise<void> {
  const rows = await countAuditEvents(principal, filter);
  await recordAuditAlone({
    actor: actorOf(principal),
    action: "audit.export",
    targetType: "audit_event",
    inputs: { format, filter: auditFilterToQuery(filter) || null },
    outputs: { rows },
    context,
  });
  // Link everything up to and including this export into the chain before it is read.
  await sealAuditChain();
}
