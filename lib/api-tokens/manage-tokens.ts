// API tokens for collectors: the secret is returned once and stored only as its SHA-256.
import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { generateApiTokenSecret, sha256Hex } from "@/lib/auth/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/app-error";
import { getApiToken, insertApiToken, markRevoked, type PublicApiToken } from "./repo";
import type { CreateApiToken } from "./schemas";

export async function createApiToken(
  by: Principal,
  input: CreateApiToken,
  context: RequestContext,
): Promise<{ token: PublicApiToken; secret: string }> {
  if (by.kind !== "user") throw new AppError("forbidden", "API tokens are created by a signed-in admin");
  const secret = generateApiTokenSecret();
  const token = await db().$transaction(async (tx) => {
    const created = await insertApiToken(tx, {
      name: input.name,
      tokenHash: sha256Hex(secret),
      prefix: secret.slice(0, 12),
      role: input.role,
      tenantIds: input.tenant_ids,
      expiresAt: input.expires_at,
      createdById: by.id,
    });
    await recordAudit(tx, {
      actor: actorOf(by),
      action: "token.create",
      targetType: "api_token",
      targetId: created.id,
      inputs: { name: input.name, role: input.role, tenant_ids: input.tenant_ids, expires_at: input.expires_at },
      outputs: { prefix: created.prefix },
      context,
    });
    return created;
  });
  return { token, secret };
}

export async function revokeApiToken(by: Principal, id: string, context: RequestContext): Promise<PublicApiToken> {
  const existing = await getApiToken(id);
  if (!existing) throw new AppError("not_found", "No such API token");
  if (existing.revokedAt) return existing;
  return db().$transaction(async (tx) => {
    const token = await markRevoked(tx, id, new Date());
    await recordAudit(tx, {
      actor: actorOf(by),
      action: "token.revoke",
      targetType: "api_token",
      targetId: id,
      outputs: { prefix: token.prefix },
      context,
    });
    return token;
  });
}
