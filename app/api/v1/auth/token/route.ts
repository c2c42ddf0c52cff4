// POST /api/v1/auth/token – exchange email + password for a 15-minute access JWT
import type { z } from "zod";
import { TokenRequestSchema, type AccessTokenSchema } from "@/lib/auth/api-schemas";
import { signAccessToken, ACCESS_TOKEN_TTL_SECONDS } from "@/lib/auth/access-jwt";
import { checkCredentials } from "@/lib/auth/login";
import { withPublicApi } from "@/lib/handlers/with-api";

export const POST = withPublicApi(async ({ json, context }) => {
  const body = await json(TokenRequestSchema);
  const user = await checkCredentials(body, context, "api");
  const { token, expiresAt } = await signAccessToken(user.id);
  return Response.json({
    access_token: token,
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    expires_at: expiresAt.toISOString(),
    role: user.role,
  } satisfies z.infer<typeof AccessTokenSchema>);
});
