"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/manage-tokens";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { withAction } from "@/lib/handlers/with-action";
import { uuidParam } from "@/lib/http/params";

export const createTokenAction = withAction<{ secret: string; name: string }>(
  "token.manage",
  async ({ principal, form, context }) => {
    // Every token expires: a whole number of days from 1 to the maximum (checked again on creation).
    const { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } = env();
    const days = Number(form.get("expires_in_days") || API_TOKEN_DEFAULT_DAYS);
    if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS) {
      throw new AppError(
        "validation_failed",
        `Expires in must be a whole number of days from 1 to ${API_TOKEN_MAX_DAYS}`,
        {
          errors: [{ pointer: "/expires_in_days", detail: `must be 1 to ${API_TOKEN_MAX_DAYS} days` }],
        },
      );
    }
    const input = CreateApiTokenSchema.parse({
      name: form.get("name"),
      role: form.get("role"),
      tenant_ids: String(form.get("tenant_ids") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      expires_at: new Date(Date.now() + days * 86_400_000).toISOString(),
    });
    const { token, secret } = await createApiToken(principal, input, context);
    revalidatePath("/admin/tokens");
    return { ok: true, data: { secret, name: token.name } };
  },
);

export const revokeTokenAction = withAction("token.manage", async ({ principal, form, context }) => {
  const token = await revokeApiToken(principal, uuidParam(String(form.get("id") ?? ""), "API token"), context);
  revalidatePath("/admin/tokens");
  return { ok: true, message: `Token ${token.name} revoked.` };
});
