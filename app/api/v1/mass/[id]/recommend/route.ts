// POST /api/v1/mass/{id}/recommend – ask BioCore again about a stored request: queues a job (202, audited)
import { reAsk } from "@/lib/biocore/re-ask";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";

export const POST = withApi<{ id: string }>("mass.ingest", async ({ principal, params, context }) =>
  Response.json(await reAsk(principal, uuidParam(params.id, "MASS request"), context), { status: 202 }),
);
