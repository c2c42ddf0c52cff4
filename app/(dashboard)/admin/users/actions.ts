"use server";

import { revalidatePath } from "next/cache";
import { withAction } from "@/lib/handlers/with-action";
import { uuidParam } from "@/lib/http/params";
import { createUser, changeUser } from "@/lib/users/manage-users";
import { CreateUserSchema, UpdateUserSchema } from "@/lib/users/schemas";

function tenants(value: FormDataEntryValue | null): string[] {
  return String(value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export const createUserAction = withAction("user.manage", async ({ principal, form, context }) => {
  const input = CreateUserSchema.parse({
    email: form.get("email"),
    name: form.get("name") || undefined,
    password: form.get("password"),
    role: form.get("role"),
    tenant_ids: tenants(form.get("tenant_ids")),
  });
  const user = await createUser(principal, input, context);
  revalidatePath("/admin/users");
  return { ok: true, message: `User ${user.email} created.` };
});

export const updateUserAction = withAction("user.manage", async ({ principal, form, context }) => {
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
  const user = await changeUser(principal, id, input, context);
  revalidatePath("/admin/users");
  return { ok: true, message: `User ${user.email} updated.` };
});
