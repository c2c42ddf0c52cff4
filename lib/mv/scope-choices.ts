// A study's scope chosen from the data: the site / facility / cluster / zone combinations the
// tenant's stored data holds (for the form's cascading selects), and the server's check that a
// submitted scope names data that exists — a typo is refused when the study is saved, as one field
// error, instead of failing only when it runs.
import "server-only";
import type { Principal } from "@/lib/access/principal";
import { AppError } from "@/lib/http/app-error";
import { scopeTuples } from "./queries/scope-choices";

/** One combination present in the data; absent levels are null. */
export type ScopeChoice = {
  tenantId: string;
  siteId: string;
  facilityId: string | null;
  clusterId: string | null;
  zoneId: string | null;
};

export async function scopeChoices(principal: Pick<Principal, "tenantIds">, tenantId?: string): Promise<ScopeChoice[]> {
  return (await scopeTuples(principal, tenantId)).map((r) => ({
    tenantId: r.tenant_id,
    siteId: r.site_id,
    facilityId: r.facility_id,
    clusterId: r.cluster_id,
    zoneId: r.zone_id,
  }));
}

export type ScopeInput = { siteId?: string; facilityId?: string; clusterId?: string; zoneId?: string };

const LEVELS = [
  ["siteId", "site_id", "site"],
  ["facilityId", "facility_id", "facility"],
  ["clusterId", "cluster_id", "cluster"],
  ["zoneId", "zone_id", "zone"],
] as const;

/**
 * The first level of `scope` the data does not hold under the levels before it, as a form field
 * problem (`site_id`, `cluster_id`…); null when every given level matches. Pure.
 */
export function scopeProblem(
  choices: ScopeChoice[],
  tenantId: string,
  scope: ScopeInput,
): { pointer: string; detail: string } | null {
  let rows = choices.filter((c) => c.tenantId === tenantId);
  const named: string[] = [];
  for (const [key, field, label] of LEVELS) {
    const value = scope[key];
    if (!value) continue;
    rows = rows.filter((c) => c[key] === value);
    if (rows.length === 0)
      return {
        pointer: `/${field}`,
        detail: `no stored data for ${label} "${value}"${named.length ? ` in ${named.join(", ")}` : ""} of tenant ${tenantId}`,
      };
    named.push(`${label} ${value}`);
  }
  return null;
}

/** Refuses (422, the field named) a scope the tenant's data does not hold. */
export async function assertScopeInData(
  principal: Pick<Principal, "tenantIds">,
  tenantId: string,
  scope: ScopeInput,
): Promise<void> {
  if (!scope.siteId && !scope.facilityId && !scope.clusterId && !scope.zoneId) return;
  const problem = scopeProblem(await scopeChoices(principal, tenantId), tenantId, scope);
  if (problem) throw new AppError("validation_failed", "The scope is not in the stored data", { errors: [problem] });
}
