// GET /api/biocore-reference/health – the reference engine's health (always ok: it is pure code in this process)
import { healthAnswer } from "@/lib/biocore/reference-http";
import { withPublicApi } from "@/lib/handlers/with-api";

export const GET = withPublicApi(async () => healthAnswer());
