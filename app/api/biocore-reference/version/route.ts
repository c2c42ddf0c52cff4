// GET /api/biocore-reference/version – the reference engine's name, version, model, feature set and policy
import { versionAnswer } from "@/lib/biocore/reference-http";
import { withPublicApi } from "@/lib/handlers/with-api";

export const GET = withPublicApi(async () => versionAnswer());
