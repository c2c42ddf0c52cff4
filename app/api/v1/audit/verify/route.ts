// GET /api/v1/audit/verify – walk the audit hash chain and name the first broken event
import { serializeChainVerification } from "@/lib/audit/serialize";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { withApi } from "@/lib/http/with-api";

export const GET = withApi("audit.verify", async () => Response.json(serializeChainVerification(await verifyAuditChain())));
