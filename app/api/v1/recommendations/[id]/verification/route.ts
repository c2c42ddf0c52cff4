// POST /api/v1/recommendations/{id}/verification – check the implementation's verification now (a report only when its data changed)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { checkVerificationNow } from "@/lib/verification/implementations";

export const POST = withApi<{ id: string }>("recommendation.acknowledge", async ({ principal, params }) =>
  Response.json(await checkVerificationNow(principal, uuidParam(params.id, "recommendation"))),
);
