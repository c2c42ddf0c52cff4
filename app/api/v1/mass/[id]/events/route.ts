// GET /api/v1/mass/{id}/events – the request's timeline: received, validated, normalized, stored, status changes
import { listEventsForTarget } from "@/lib/audit/repo";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/http/with-api";
import { getMassRequestOrThrow } from "@/lib/mass/lifecycle";
import { massTimeline } from "@/lib/mass/timeline";

export const GET = withApi<{ id: string }>("mass.read", async ({ principal, params }) => {
  const request = await getMassRequestOrThrow(principal, uuidParam(params.id, "MASS request"));
  return Response.json({ items: massTimeline(request, await listEventsForTarget("mass_request", request.id)) });
});
