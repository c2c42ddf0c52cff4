// Status changes and tombstones, each audited in its own transaction.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import type { MassStatus } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/app-error";
import { getMassRequest, inTransaction, moveStatus, tombstone } from "./repo";

// pending → processing → done | failed; nothing leaves done or failed.
const NEXT: Record<MassStatus, MassStatus[]> = {
  pending: ["processing"],
  processing: ["done", "failed"],
  done: [],
  failed: [],
};

export async function getMassRequestOrThrow(principal: Principal, id: string) {
  const found = await getMassRequest(id, principal.tenantIds);
  if (!found) throw new AppError("not_found", "No such MASS request");
  return found;
}

export async function changeMassStatus(principal: Principal, id: string, to: MassStatus, context: RequestContext) {
  const current = await getMassRequestOrThrow(principal, id);
  if (!NEXT[current.status].includes(to)) {
    throw new AppError(
      "conflict",
      `A ${current.status} request cannot become ${to}; allowed: ${NEXT[current.status].join(", ") || "none"}`,
    );
  }
  await inTransaction(async (tx) => {
    // Compare-and-set: a concurrent change in between makes this one a conflict, not a lost update.
    if (!(await moveStatus(tx, id, current.status, to)))
      throw new AppError("conflict", "The status changed meanwhile; read it again");
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mass.status",
      targetType: "mass_request",
      targetId: id,
      tenantId: current.tenantId,
      inputs: { from: current.status, to },
      context,
    });
  });
  return { id, status: to };
}

export async function deleteMassRequest(principal: Principal, id: string, context: RequestContext) {
  const current = await getMassRequestOrThrow(principal, id);
  await inTransaction(async (tx) => {
    if (!(await tombstone(tx, id, `${principal.kind}:${principal.id}`, new Date())))
      throw new AppError("not_found", "No such MASS request");
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mass.delete",
      targetType: "mass_request",
      targetId: id,
      tenantId: current.tenantId,
      inputs: { request_id: current.requestId, payload_hash: current.payloadHash },
      context,
    });
  });
}
