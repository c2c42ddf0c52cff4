// The one table of actions and the roles allowed to perform them.
import type { Role } from "@/lib/generated/prisma/enums";

export const ROLES = ["admin", "analyst", "viewer"] as const satisfies readonly Role[];

export const PERMISSIONS = {
  "dashboard.read": ["admin", "analyst", "viewer"],
  // A signed-in user's own saved views (lib/views): anyone's, for their own rows only.
  "view.manage": ["admin", "analyst", "viewer"],
  "mass.read": ["admin", "analyst", "viewer"],
  "mass.ingest": ["admin", "analyst"],
  "mass.delete": ["admin"],
  "dataset.read": ["admin", "analyst", "viewer"],
  "dataset.upload": ["admin", "analyst"],
  "mv.read": ["admin", "analyst", "viewer"],
  "mv.write": ["admin", "analyst"],
  "export.create": ["admin", "analyst"],
  "recommendation.read": ["admin", "analyst", "viewer"],
  "recommendation.acknowledge": ["admin", "analyst"],
  "audit.read": ["admin"],
  "audit.export": ["admin"],
  "audit.verify": ["admin"],
  "user.manage": ["admin"],
  "token.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

// Actions over the whole installation rather than one tenant's data: a principal limited to some
// tenants may not perform them, whatever its role.
const GLOBAL_ACTIONS: ReadonlySet<Action> = new Set(["user.manage", "token.manage", "audit.verify"]);

export function allowed(principal: { role: Role; tenantIds: readonly string[] }, action: Action): boolean {
  return can(principal.role, action) && (!GLOBAL_ACTIONS.has(action) || principal.tenantIds.length === 0);
}

/** Whether the action needs a principal not limited to tenants. */
export function isGlobalAction(action: Action): boolean {
  return GLOBAL_ACTIONS.has(action);
}
