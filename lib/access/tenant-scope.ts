// Every query that reads tenant data filters through here.
import { AppError } from "@/lib/http/app-error";
import type { Principal } from "./principal";

/** A Prisma `where` fragment for a `tenantId` column: nothing for unscoped principals. */
export function tenantWhere(principal: Pick<Principal, "tenantIds">): { tenantId?: { in: string[] } } {
  return principal.tenantIds.length === 0 ? {} : { tenantId: { in: principal.tenantIds } };
}

/**
 * `tenantWhere` narrowed to one requested tenant (a list filter): a tenant the principal may not
 * see matches nothing. Spreading `{ tenantId: requested }` after `tenantWhere` would replace the
 * principal's restriction instead of narrowing it.
 */
export function tenantWhereFor(
  principal: Pick<Principal, "tenantIds">,
  requested: string | undefined,
): { tenantId?: string | { in: string[] } } {
  if (!requested) return tenantWhere(principal);
  return canAccessTenant(principal, requested) ? { tenantId: requested } : { tenantId: { in: [] } };
}

export function canAccessTenant(principal: Pick<Principal, "tenantIds">, tenantId: string): boolean {
  return principal.tenantIds.length === 0 || principal.tenantIds.includes(tenantId);
}

export function assertTenantAccess(principal: Pick<Principal, "tenantIds">, tenantId: string): void {
  if (!canAccessTenant(principal, tenantId)) {
    throw new AppError("forbidden", `No access to tenant ${JSON.stringify(tenantId)}`);
  }
}

/** Narrows a requested tenant filter to what the principal may see. */
export function scopeTenantFilter(principal: Pick<Principal, "tenantIds">, requested?: string[]): string[] | undefined {
  if (principal.tenantIds.length === 0) return requested && requested.length > 0 ? requested : undefined;
  if (!requested || requested.length === 0) return principal.tenantIds;
  for (const t of requested) assertTenantAccess(principal, t);
  return requested;
}

/** For pages: the requested tenants the principal may see (possibly none), never an error. */
export function visibleTenantFilter(
  principal: Pick<Principal, "tenantIds">,
  requested?: string[],
): string[] | undefined {
  if (!requested || requested.length === 0) return principal.tenantIds.length === 0 ? undefined : principal.tenantIds;
  return requested.filter((t) => canAccessTenant(principal, t));
}
