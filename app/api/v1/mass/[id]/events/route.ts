// GET /api/v1/mass/{id}/events – the request's timeline: received, validated, normalized, stored (alone or in a batch), status changes
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";
import { getMassRequestOrThrow } from "@/lib/mass/lifecycle";
import { massEvents } from "@/lib/mass/repo";
import { massTimeline } from "@/lib/mass/timeline";

export const GET = withApi<{ id: string }>("mass.read", async ({ principal, params }) => {
  const request = await getMassRequestOrThrow(principal, uuidParam(params.id, "MASS request"));
  return Response.json({ items: massTimeline(request, await massEvents(request)) });
});
