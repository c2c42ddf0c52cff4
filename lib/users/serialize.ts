import { z } from "zod";
import type { PublicUser } from "./repo";
import { RoleSchema } from "./schemas";

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: RoleSchema,
    tenant_ids: z.array(z.string()).meta({ description: "Tenants this user is limited to; empty = all" }),
    disabled: z.boolean(),
    last_login_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "User" });

export function serializeUser(u: PublicUser): z.infer<typeof UserSchema> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    tenant_ids: u.tenantIds,
    disabled: Boolean(u.disabledAt),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
  };
}
