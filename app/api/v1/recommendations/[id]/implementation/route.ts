// GET /api/v1/recommendations/{id}/implementation – what was done with it, its verification and predicted vs verified; POST – record it implemented or rejected (audited)
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { ImplementationInputSchema } from "@/lib/verification/implement";
import { getImplementationViewOrThrow, implementRecommendation } from "@/lib/verification/implementations";

export const GET = withApi<{ id: string }>("recommendation.read", async ({ principal, params }) =>
  Response.json(await getImplementationViewOrThrow(principal, uuidParam(params.id, "recommendation"))),
);

export const POST = withApi<{ id: string }>(
  "recommendation.acknowledge",
  async ({ principal, params, json, context }) => {
    const id = uuidParam(params.id, "recommendation");
    return Response.json(await implementRecommendation(principal, id, await json(ImplementationInputSchema), context), {
      status: 201,
    });
  },
);
