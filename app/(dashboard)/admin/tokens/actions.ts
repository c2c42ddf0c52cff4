"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/manage-tokens";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";

export async function createTokenAction(
  _prev: ActionResult<{ secret: string; name: string }> | null,
  form: FormData,
): Promise<ActionResult<{ secret: string; name: string }>> {
  try {
    const principal = await requireRole("token.manage");
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
    const { token, secret } = await createApiToken(principal, input, await actionContext());
    revalidatePath("/admin/tokens");
    return { ok: true, data: { secret, name: token.name } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeTokenAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("token.manage");
    const token = await revokeApiToken(
      principal,
      uuidParam(String(form.get("id") ?? ""), "API token"),
      await actionContext(),
    );
    revalidatePath("/admin/tokens");
    return { ok: true, message: `Token ${token.name} revoked.` };
  } catch (error) {
    return actionFailure(error);
  }
}
