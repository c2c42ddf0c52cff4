// GET /api/v1/mass/{id} – raw and normalized documents, hash, warnings, status; DELETE – tombstone (admin)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { deleteMassRequest, getMassRequestOrThrow } from "@/lib/mass/lifecycle";
import { serializeMassDetail } from "@/lib/mass/serialize";

export const GET = withApi<{ id: string }>("mass.read", async ({ principal, params }) =>
  Response.json(serializeMassDetail(await getMassRequestOrThrow(principal, uuidParam(params.id, "MASS request")))),
);

export const DELETE = withApi<{ id: string }>("mass.delete", async ({ principal, params, context }) => {
  await deleteMassRequest(principal, uuidParam(params.id, "MASS request"), context);
  return new Response(null, { status: 204 });
});
