// GET /api/biocore-reference/health – the reference engine's health (always ok: it is pure code in this process)
import { referenceHealth } from "@/lib/biocore/reference";
import { withPublicApi } from "@/lib/http/with-api";

export const GET = withPublicApi(async () => Response.json(referenceHealth(new Date())));
