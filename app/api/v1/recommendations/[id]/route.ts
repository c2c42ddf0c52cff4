// GET /api/v1/recommendations/{id} – one recommendation with its request's call log; PATCH – acknowledge or dismiss it (audited)
import {
  getRecommendationOrThrow,
  listCallsForRequest,
  reviewRecommendation,
  ReviewSchema,
} from "@/lib/biocore/recommendations";
import { serializeCall, serializeRecommendation } from "@/lib/biocore/serialize";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";

async function detail(rec: Awaited<ReturnType<typeof getRecommendationOrThrow>>) {
  return { ...serializeRecommendation(rec), calls: (await listCallsForRequest(rec.massRequestId)).map(serializeCall) };
}

export const GET = withApi<{ id: string }>("recommendation.read", async ({ principal, params }) =>
  Response.json(await detail(await getRecommendationOrThrow(principal, uuidParam(params.id, "recommendation")))),
);

export const PATCH = withApi<{ id: string }>(
  "recommendation.acknowledge",
  async ({ principal, params, json, context }) => {
    const id = uuidParam(params.id, "recommendation");
    return Response.json(await detail(await reviewRecommendation(principal, id, await json(ReviewSchema), context)));
  },
);
