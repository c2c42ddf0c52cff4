// POST /api/v1/mv/studies/{id}/revisions – edit a study: a new revision (the old ones stay readable; audited)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { serializeStudy } from "@/lib/mv/serialize";
import { ReviseStudySchema, reviseStudy } from "@/lib/mv/studies";

export const POST = withApi<{ id: string }>("mv.write", async ({ principal, params, json, context }) => {
  const id = uuidParam(params.id, "M&V study");
  const study = await reviseStudy(principal, id, await json(ReviseStudySchema), context);
  return Response.json(serializeStudy(study), { status: 201, headers: { Location: `/api/v1/mv/studies/${id}` } });
});
