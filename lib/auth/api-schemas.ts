// Request and answer shapes of the authentication routes (also fed to the OpenAPI document).
import { z } from "zod";
import { RoleSchema } from "@/lib/users/schemas";

export const TokenRequestSchema = z
  .object({
    email: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: "TokenRequest", example: { email: "analyst@example.com", password: "correct horse battery staple" } });

export const AccessTokenSchema = z
  .object({
    access_token: z.string().meta({ description: "HS256 JWT; send as `Authorization: Bearer …`" }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().meta({ description: "Seconds (900)" }),
    expires_at: z.string(),
    role: RoleSchema,
  })
  .meta({ id: "AccessToken" });

export const MeSchema = z
  .object({
    kind: z.enum(["user", "api_token"]),
    id: z.uuid(),
    label: z.string(),
    role: RoleSchema,
    tenant_ids: z.array(z.string()).meta({ description: "Tenants the caller is limited to; empty = all" }),
    via: z.enum(["session", "jwt", "api_token"]),
  })
  .meta({ id: "Me" });
