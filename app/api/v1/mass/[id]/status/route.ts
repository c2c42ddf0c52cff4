// PATCH /api/v1/mass/{id}/status – pending → processing → done | failed; an illegal transition is 409
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { StatusChangeSchema } from "@/lib/mass/api-schemas";
import { changeMassStatus } from "@/lib/mass/lifecycle";

export const PATCH = withApi<{ id: string }>("mass.ingest", async ({ principal, params, json, context }) => {
  const id = uuidParam(params.id, "MASS request");
  const { status } = await json(StatusChangeSchema);
  return Response.json(await changeMassStatus(principal, id, status, context));
});
