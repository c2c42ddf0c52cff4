import type { PublicUser } from "./repo";

export function serializeUser(u: PublicUser) {
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
