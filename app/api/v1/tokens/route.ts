// GET|POST /api/v1/tokens – list API tokens, create one; the secret is in this answer only (admin)
import { createApiToken } from "@/lib/api-tokens/manage-tokens";
import { listApiTokens } from "@/lib/api-tokens/repo";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { serializeApiToken } from "@/lib/api-tokens/serialize";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("token.manage", async () =>
  Response.json({ items: (await listApiTokens()).map(serializeApiToken) }),
);

export const POST = withApi("token.manage", async ({ principal, json, context }) => {
  const { token, secret } = await createApiToken(principal, await json(CreateApiTokenSchema), context);
  return Response.json(
    { ...serializeApiToken(token), secret },
    { status: 201, headers: { Location: `/api/v1/tokens/${token.id}` } },
  );
});
