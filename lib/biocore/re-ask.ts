// `POST /api/v1/mass/{id}/recommend`: ask BioCore again about a stored request (a new job, audited).
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { getMassRequestOrThrow } from "@/lib/mass/lifecycle";
import { enqueueRecommendationJob } from "./repo/jobs";
import { countObservations } from "./repo/mass";
import { inTransaction } from "./repo/transaction";
import { wakeRecommendationWorker } from "@/lib/background/worker-signal";

export async function reAsk(
  principal: Principal,
  massRequestId: string,
  context: RequestContext,
): Promise<{ job_id: string; mass_request_id: string; status: "pending" }> {
  const m = await getMassRequestOrThrow(principal, massRequestId);
  if (m.kind === "simple" && (await countObservations(massRequestId)) === 0) {
    throw new AppError("conflict", "This MASS Simple request carries no signals: there is nothing to ask BioCore");
  }
  const job = await inTransaction(async (tx) => {
    const created = await enqueueRecommendationJob(tx, m.id, m.tenantId, "on_demand");
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: "mass.recommend",
      targetType: "mass_request",
      targetId: m.id,
      tenantId: m.tenantId,
      inputs: { job_id: created.id },
      context,
    });
    return created;
  });
  wakeRecommendationWorker();
  return { job_id: job.id, mass_request_id: m.id, status: "pending" };
}
