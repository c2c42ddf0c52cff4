"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/manage-tokens";
import { CreateApiTokenSchema } from "@/lib/api-tokens/schemas";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";

export async function createTokenAction(
  _prev: ActionResult<{ secret: string; name: string }> | null,
  form: FormData,
): Promise<ActionResult<{ secret: string; name: string }>> {
  try {
    const principal = await requireRole("token.manage");
    const days = Number(form.get("expires_in_days") || 0);
    const input = CreateApiTokenSchema.parse({
      name: form.get("name"),
      role: form.get("role"),
      tenant_ids: String(form.get("tenant_ids") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      expires_at: days > 0 ? new Date(Date.now() + days * 86_400_000).toISOString() : undefined,
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
    const token = await revokeApiToken(principal, uuidParam(String(form.get("id") ?? ""), "API token"), await actionContext());
    revalidatePath("/admin/tokens");
    return { ok: true, message: `Token ${token.name} revoked.` };
  } catch (error) {
    return actionFailure(error);
  }
}
