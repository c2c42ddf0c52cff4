// POST /api/v1/mv/studies/{id}/runs – run a revision (default: the current one) into an immutable report (audited)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { getReportOrThrow } from "@/lib/mv/reports";
import { runStudy } from "@/lib/mv/run-study";
import { RunStudySchema } from "@/lib/mv/studies";

export const POST = withApi<{ id: string }>("mv.write", async ({ principal, params, request, json, context }) => {
  const id = uuidParam(params.id, "M&V study");
  // The body is optional: without a JSON body the current revision runs.
  const body = request.headers.get("content-type") ? await json(RunStudySchema) : {};
  const run = await runStudy(principal, id, body.revision, context);
  return Response.json(await getReportOrThrow(principal, run.id), {
    status: 201,
    headers: { Location: `/api/v1/mv/reports/${run.id}` },
  });
});
