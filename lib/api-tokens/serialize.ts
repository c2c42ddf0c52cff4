import { z } from "zod";
import { RoleSchema } from "@/lib/users/schemas";
import type { PublicApiToken } from "./repo";

export const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the secret, to recognize it" }),
    role: RoleSchema,
    tenant_ids: z.array(z.string()).meta({ description: "Tenants this token is limited to; empty = all" }),
    expires_at: z.string().meta({ description: "When the token stops working; every token expires" }),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
    created_by: z.string(),
  })
  .meta({ id: "ApiToken" });

export const ApiTokenCreatedSchema = ApiTokenSchema.extend({
  secret: z.string().meta({
    description: "The token itself (`pib_…`): shown in this answer only, stored as SHA-256",
    example: "pib_3q2-7wXk…",
  }),
}).meta({ id: "ApiTokenCreated" });

export function serializeApiToken(t: PublicApiToken): z.infer<typeof ApiTokenSchema> {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    tenant_ids: t.tenantIds,
    expires_at: t.expiresAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
    created_at: t.createdAt.toISOString(),
    created_by: t.createdBy.email,
  };
}
