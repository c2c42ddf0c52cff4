// GET /api/v1/mv/studies – the caller's M&V studies; POST – create one (revision 1, audited)
import { withApi } from "@/lib/handlers/with-api";
import { listStudies } from "@/lib/mv/repo";
import { serializeStudy, serializeStudyList } from "@/lib/mv/serialize";
import { CreateStudySchema, createStudy } from "@/lib/mv/studies";

export const GET = withApi("mv.read", async ({ principal }) =>
  Response.json(serializeStudyList(await listStudies(principal))),
);

export const POST = withApi("mv.write", async ({ principal, json, context }) => {
  const study = await createStudy(principal, await json(CreateStudySchema), context);
  return Response.json(serializeStudy(study), { status: 201, headers: { Location: `/api/v1/mv/studies/${study.id}` } });
});
