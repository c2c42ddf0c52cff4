// User administration. Every change is audited in the same transaction.
import "server-only";
import { hashPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/app-error";
import { countActiveAdmins, getUserById, insertUser, updateUser, type PublicUser } from "./repo";
import type { CreateUser, UpdateUser } from "./schemas";

export async function createUser(by: Principal, input: CreateUser, context: RequestContext): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  return db().$transaction(async (tx) => {
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

export async function changeUser(by: Principal, id: string, input: UpdateUser, context: RequestContext): Promise<PublicUser> {
  const existing = await getUserById(id);
  if (!existing) throw new AppError("not_found", "No such user");
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = new Date();
  return db().$transaction(async (tx) => {
    const losingAdmin =
      existing.role === "admin" &&
      !existing.disabledAt &&
      ((input.role && input.role !== "admin") || input.disabled === true);
    if (losingAdmin && (await countActiveAdmins(tx)) <= 1) {
      throw new AppError("conflict", "The last active admin cannot be demoted or disabled");
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

function auditAction(input: UpdateUser): string {
  if (input.password) return "user.password_reset";
  if (input.disabled === true) return "user.disable";
  if (input.disabled === false) return "user.enable";
  if (input.role) return "user.role_change";
  return "user.update";
}
