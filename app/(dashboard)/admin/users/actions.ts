"use server";

import { revalidatePath } from "next/cache";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import { actionFailure, type ActionResult } from "@/lib/http/action-result";
import { uuidParam } from "@/lib/http/params";
import { createUser, changeUser } from "@/lib/users/manage-users";
import { CreateUserSchema, UpdateUserSchema } from "@/lib/users/schemas";

function tenants(value: FormDataEntryValue | null): string[] {
  return String(value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function createUserAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("user.manage");
    const input = CreateUserSchema.parse({
      email: form.get("email"),
      name: form.get("name") || undefined,
      password: form.get("password"),
      role: form.get("role"),
      tenant_ids: tenants(form.get("tenant_ids")),
    });
    const user = await createUser(principal, input, await actionContext());
    revalidatePath("/admin/users");
    return { ok: true, message: `User ${user.email} created.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateUserAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const principal = await requireRole("user.manage");
    const id = uuidParam(String(form.get("id") ?? ""), "user");
    const op = String(form.get("op") ?? "");
    const input = UpdateUserSchema.parse(
      op === "role"
        ? { role: form.get("role") }
        : op === "disable"
          ? { disabled: true }
          : op === "enable"
            ? { disabled: false }
            : op === "password"
              ? { password: form.get("password") }
              : op === "tenants"
                ? { tenant_ids: tenants(form.get("tenant_ids")) }
                : {},
    );
    const user = await changeUser(principal, id, input, await actionContext());
    revalidatePath("/admin/users");
    return { ok: true, message: `User ${user.email} updated.` };
  } catch (error) {
    return actionFailure(error);
  }
}
