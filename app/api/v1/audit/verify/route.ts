// GET /api/v1/audit/verify – walk the audit hash chain, name the first broken event, and compare
// the chain with the server's last anchor.
// POST /api/v1/audit/verify – the same, also against anchors the caller kept ({anchors: [...]}).
import { serializeChainVerification, VerifyAnchorsBodySchema } from "@/lib/audit/serialize";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("audit.verify", async () =>
  Response.json(serializeChainVerification(await verifyAuditChain())),
);

export const POST = withApi("audit.verify", async ({ json }) => {
  const { anchors } = await json(VerifyAnchorsBodySchema);
  return Response.json(serializeChainVerification(await verifyAuditChain({ anchors })));
});
