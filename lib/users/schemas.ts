import { z } from "zod";
import { PasswordSchema } from "@/lib/auth/password";

export const RoleSchema = z.enum(["admin", "analyst", "viewer"]);
export const TenantIdsSchema = z
  .array(z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, "letters, digits, . _ : - only"))
  .max(100)
  .default([]);

export const CreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().max(120).optional(),
  password: PasswordSchema,
  role: RoleSchema,
  tenant_ids: TenantIdsSchema,
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .object({
    role: RoleSchema.optional(),
    tenant_ids: TenantIdsSchema.optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change" });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;
