// GET /api/v1/audit/checkpoint – the chain's head, signed: an anchor for an external verifier to
// keep and pass back to POST /api/v1/audit/verify later. Handing it out also makes it an anchor
// the sealer holds the chain to. Audited as audit.checkpoint.
import { anchorHead, ChainRewrittenError, reportRewrite } from "@/lib/audit/anchor";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { sealAuditChain } from "@/lib/audit/seal-chain";
import { actorOf } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("audit.verify", async ({ principal, context }) => {
  let anchor;
  try {
    await sealAuditChain();
    anchor = await anchorHead();
  } catch (error) {
    if (!(error instanceof ChainRewrittenError)) throw error;
    reportRewrite(error, "checkpoint");
    throw new AppError("conflict", `No checkpoint: ${error.message}. Verify the chain against kept anchors.`);
  }
  if (!anchor) throw new AppError("not_found", "The audit chain is empty: nothing to anchor yet");
  await recordAuditAlone({
    actor: actorOf(principal),
    action: "audit.checkpoint",
    targetType: "audit_event",
    outputs: { chain_pos: anchor.chain_pos, hash: anchor.hash },
    context,
  });
  return Response.json(anchor);
});
