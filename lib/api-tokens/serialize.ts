import type { PublicApiToken } from "./repo";

export function serializeApiToken(t: PublicApiToken) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    tenant_ids: t.tenantIds,
    expires_at: t.expiresAt?.toISOString() ?? null,
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
    created_at: t.createdAt.toISOString(),
    created_by: t.createdBy.email,
  };
}
