// PATCH /api/v1/mass/{id}/status – pending → processing → done | failed; an illegal transition is 409
import { z } from "zod";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/http/with-api";
import { changeMassStatus } from "@/lib/mass/lifecycle";

const StatusSchema = z.strictObject({ status: z.enum(["pending", "processing", "done", "failed"]) });

export const PATCH = withApi<{ id: string }>("mass.ingest", async ({ principal, params, json, context }) => {
  const id = uuidParam(params.id, "MASS request");
  const { status } = await json(StatusSchema);
  return Response.json(await changeMassStatus(principal, id, status, context));
});
