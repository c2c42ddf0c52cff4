// API tokens for collectors: the secret is returned once and stored only as its SHA-256.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { generateApiTokenSecret, sha256Hex } from "@/lib/access/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { getApiToken, inTransaction, insertApiToken, markRevoked, type PublicApiToken } from "./repo";
import type { CreateApiToken } from "./schemas";

const DAY_MS = 86_400_000;

/**
 * When a new token expires: what was asked, else API_TOKEN_DEFAULT_DAYS from now; never later than
 * API_TOKEN_MAX_DAYS from now, so a leaked token stops working within a bounded time.
 */
export function tokenExpiry(requested: Date | null, now = new Date()): Date {
  const { API_TOKEN_DEFAULT_DAYS: defaultDays, API_TOKEN_MAX_DAYS: maxDays } = env();
  const expiry = requested ?? new Date(now.getTime() + Math.min(defaultDays, maxDays) * DAY_MS);
  if (expiry.getTime() > now.getTime() + maxDays * DAY_MS) {
    throw new AppError("validation_failed", "The request body has 1 problem", {
      errors: [{ pointer: "/expires_at", detail: `must be at most ${maxDays} days from now`, code: "too_big" }],
    });
  }
  return expiry;
}

export async function createApiToken(
  by: Principal,
  input: CreateApiToken,
  context: RequestContext,
): Promise<{ token: PublicApiToken; secret: string }> {
  if (by.kind !== "user") throw new AppError("forbidden", "API tokens are created by a signed-in admin");
  const expiresAt = tokenExpiry(input.expires_at);
  const secret = generateApiTokenSecret();
  const token = await inTransaction(async (tx) => {
    const created = await insertApiToken(tx, {
      name: input.name,
      tokenHash: sha256Hex(secret),
      prefix: secret.slice(0, 12),
      role: input.role,
      tenantIds: input.tenant_ids,
      expiresAt,
      createdById: by.id,
    });
    await recordAudit(tx, {
      actor: actorOf(by),
      action: "token.create",
      targetType: "api_token",
      targetId: created.id,
      inputs: { name: input.name, role: input.role, tenant_ids: input.tenant_ids, expires_at: expiresAt },
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
  return inTransaction(async (tx) => {
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
