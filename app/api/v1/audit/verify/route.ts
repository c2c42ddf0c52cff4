// GET /api/v1/audit/verify – walk the audit hash chain and name the first broken event
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { withApi } from "@/lib/http/with-api";

export const GET = withApi("audit.verify", async () => {
  const result = await verifyAuditChain();
  return Response.json({
    ok: result.ok,
    checked: result.checked,
    head_seq: result.headSeq,
    head_hash: result.headHash,
    unsealed: result.unsealed,
    first_broken: result.firstBroken,
    verified_at: result.verifiedAt,
  });
});
