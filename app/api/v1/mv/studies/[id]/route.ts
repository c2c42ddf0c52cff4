// GET /api/v1/mv/studies/{id} – a study with every revision and its reports
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { serializeStudy } from "@/lib/mv/serialize";
import { getStudyOrThrow } from "@/lib/mv/studies";

export const GET = withApi<{ id: string }>("mv.read", async ({ principal, params }) =>
  Response.json(serializeStudy(await getStudyOrThrow(principal, uuidParam(params.id, "M&V study")))),
);
