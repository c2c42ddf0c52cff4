// GET /api/biocore-reference/version – the reference engine's name, version, model, feature set and policy
import { referenceVersion } from "@/lib/biocore/reference";
import { withPublicApi } from "@/lib/http/with-api";

export const GET = withPublicApi(async () => Response.json(referenceVersion()));
