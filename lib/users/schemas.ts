import { z } from "zod";
import { PasswordSchema } from "@/lib/access/password";

export const RoleSchema = z.enum(["admin", "analyst", "viewer"]);
// No default here: zod 4 applies a default even inside `.optional()`, so a schema shared by create
// (where "no tenants" means all tenants) and update (where absent means "unchanged") must leave the
// default to the create schemas. An update that fills in [] would lift a user's tenant limit.
export const TenantIdsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._:-]+$/, "letters, digits, . _ : - only"),
  )
  .max(100);

export const CreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().max(120).optional(),
  password: PasswordSchema,
  role: RoleSchema,
  tenant_ids: TenantIdsSchema.default([]),
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .object({
    role: RoleSchema.optional(),
    tenant_ids: TenantIdsSchema.optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional(),
  })
  // Judged on the parsed value: only fields the caller named are present (no defaults above).
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change" });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;
