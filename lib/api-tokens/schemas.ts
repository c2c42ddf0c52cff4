import { z } from "zod";
import { RoleSchema, TenantIdsSchema } from "@/lib/users/schemas";

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
  tenant_ids: TenantIdsSchema.default([]),
  expires_at: z
    .string()
    .datetime({ offset: true })
    .optional()
    .transform((v) => (v ? new Date(v) : null))
    .refine((d) => d === null || d.getTime() > Date.now(), { message: "must be in the future" })
    .meta({
      description:
        "When the token stops working; default 90 days from now, at most 365 (API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS)",
    }),
});
export type CreateApiToken = z.infer<typeof CreateApiTokenSchema>;
