// DELETE /api/v1/tokens/{id} – revoke an API token (admin); effective on its next use
import { revokeApiToken } from "@/lib/api-tokens/manage-tokens";
import { serializeApiToken } from "@/lib/api-tokens/serialize";
import { uuidParam } from "@/lib/http/params";
import { withApi } from "@/lib/handlers/with-api";

export const DELETE = withApi<{ id: string }>("token.manage", async ({ principal, params, context }) => {
  const id = uuidParam(params.id, "API token");
  return Response.json(serializeApiToken(await revokeApiToken(principal, id, context)));
});
