// User administration. Every change is audited in the same transaction.
import "server-only";
import { hashPassword } from "@/lib/access/password";
import type { Principal } from "@/lib/access/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import {
  countUnscopedActiveAdmins,
  getUserById,
  inTransaction,
  insertUser,
  lockAdminChanges,
  revokeUserSessions,
  updateUser,
  type PublicUser,
} from "./repo";
import type { CreateUser, UpdateUser } from "./schemas";

export async function createUser(by: Principal, input: CreateUser, context: RequestContext): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(async (tx) => {
    const user = await insertUser(tx, {
      email: input.email,
      name: input.name ?? null,
      passwordHash,
      role: input.role,
      tenantIds: input.tenant_ids,
    });
    await recordAudit(tx, {
      actor: actorOf(by),
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      inputs: { email: user.email, role: user.role, tenant_ids: user.tenantIds },
      context,
    });
    return user;
  });
}

export async function changeUser(
  by: Principal,
  id: string,
  input: UpdateUser,
  context: RequestContext,
): Promise<PublicUser> {
  if (!(await getUserById(id))) throw new AppError("not_found", "No such user");
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = new Date();
  return inTransaction(async (tx) => {
    // A change that can take away an admin who manages users (demote, disable, limit to tenants)
    // is serialised and judged on the row as it is now: two such changes at once (the last two
    // unlimited admins demoting each other) would otherwise each see the other still there.
    const mayRemoveAdmin = input.role !== undefined || input.disabled === true || input.tenant_ids !== undefined;
    if (mayRemoveAdmin) await lockAdminChanges(tx);
    const existing = await getUserById(id, tx);
    if (!existing) throw new AppError("not_found", "No such user");
    if (mayRemoveAdmin && losesUserManagement(existing, input) && (await countUnscopedActiveAdmins(tx)) <= 1) {
      throw new AppError(
        "conflict",
        "The last active admin without a tenant limit cannot be demoted, disabled or limited to tenants",
      );
    }
    const user = await updateUser(tx, id, {
      ...(input.role === undefined ? {} : { role: input.role }),
      // Only a scope the caller named: an empty list is a deliberate "all tenants".
      ...(input.tenant_ids === undefined ? {} : { tenantIds: input.tenant_ids }),
      ...(input.disabled === undefined ? {} : { disabledAt: input.disabled ? now : null }),
      // A new password, role, scope or disabling ends the user's existing sessions and JWTs.
      ...(passwordHash ? { passwordHash } : {}),
      credentialsAt: now,
    });
    // Dashboard sessions are ended by their stored row (the JWTs above by credentialsAt).
    if (
      input.password !== undefined ||
      input.role !== undefined ||
      input.disabled !== undefined ||
      input.tenant_ids !== undefined
    ) {
      await revokeUserSessions(tx, id, now);
    }
    await recordAudit(tx, {
      actor: actorOf(by),
      action: auditAction(input),
      targetType: "user",
      targetId: id,
      inputs: {
        role: input.role,
        tenant_ids: input.tenant_ids,
        disabled: input.disabled,
        password_reset: input.password ? true : undefined,
      },
      outputs: { role: user.role, disabled: Boolean(user.disabledAt) },
      context,
    });
    return user;
  });
}

/** Whether the change leaves the user no longer an active admin without a tenant limit (the only kind that manages users). */
function losesUserManagement(user: PublicUser, input: UpdateUser): boolean {
  const manages = user.role === "admin" && !user.disabledAt && user.tenantIds.length === 0;
  if (!manages) return false;
  return (
    (input.role !== undefined && input.role !== "admin") ||
    input.disabled === true ||
    (input.tenant_ids !== undefined && input.tenant_ids.length > 0)
  );
}

function auditAction(input: UpdateUser): string {
  if (input.password) return "user.password_reset";
  if (input.disabled === true) return "user.disable";
  if (input.disabled === false) return "user.enable";
  if (input.role) return "user.role_change";
  return "user.update";
}
