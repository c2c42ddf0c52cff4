import "server-only";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { Principal } from "@/lib/access/principal";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * The transaction a user change runs in: handed to `inTransaction`'s work, passed on to the
 * functions here and to recordAudit.
 */
export type UserTx = Tx;

/** One transaction per change, its audit event inside it. */
export function inTransaction<T>(work: (tx: UserTx) => Promise<T>): Promise<T> {
  return db().$transaction(work);
}

// Never select password hashes unless verifying a password.
export const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  tenantIds: true,
  disabledAt: true,
  lastLoginAt: true,
  createdAt: true,
  credentialsAt: true,
} as const;

export type PublicUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  tenantIds: string[];
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  credentialsAt: Date;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function getUserForLogin(email: string) {
  return db().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...publicUserSelect, passwordHash: true },
  });
}

/** The user, read in `tx` when given (a transaction that decides on the row as it is now). */
export function getUserById(id: string, tx?: Tx): Promise<PublicUser | null> {
  return (tx ?? db()).user.findUnique({ where: { id }, select: publicUserSelect });
}

export function listUsers(): Promise<PublicUser[]> {
  return db().user.findMany({ select: publicUserSelect, orderBy: { createdAt: "asc" } });
}

/** Counted in `tx` when given (the first admin's transaction, under its lock). */
export function countUsers(tx?: UserTx): Promise<number> {
  return (tx ?? db()).user.count();
}

export function insertUser(
  tx: Tx,
  data: { email: string; name?: string | null; passwordHash: string; role: Role; tenantIds: string[] },
): Promise<PublicUser> {
  return tx.user.create({ data: { ...data, email: normalizeEmail(data.email) }, select: publicUserSelect });
}

export function updateUser(
  tx: Tx,
  id: string,
  data: Partial<{
    role: Role;
    tenantIds: string[];
    disabledAt: Date | null;
    passwordHash: string;
    credentialsAt: Date;
    name: string | null;
  }>,
): Promise<PublicUser> {
  return tx.user.update({ where: { id }, data, select: publicUserSelect });
}

export function touchLastLogin(id: string): Promise<unknown> {
  return db().user.update({ where: { id }, data: { lastLoginAt: new Date() }, select: { id: true } });
}

/**
 * Active admins without a tenant limit: the only users who can manage users and tokens (a
 * tenant-limited admin cannot), so the only ones the last-admin guard may count.
 */
export function countUnscopedActiveAdmins(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabledAt: null, tenantIds: { isEmpty: true } } });
}

/**
 * Serialises changes that may remove an admin, until the transaction ends. A row lock would not
 * do: the count reads other rows, which a concurrent change to another admin does not lock.
 */
export async function lockAdminChanges(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('pib.user-admin-changes'))`;
}

/** Serialises creating the first admin (ensure-first-admin.ts), until the transaction ends. */
export async function lockFirstAdmin(tx: Tx): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(7400130002)`;
}

/**
 * Ends every live session of the user, in the transaction of the change that requires it (a role
 * or tenant change, a disabled account): a session cookie already handed out must not outlive it.
 */
export async function revokeUserSessions(tx: UserTx, userId: string, now = new Date()): Promise<number> {
  const { count } = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

/** One actor to name: a user or an API token, by id. */
export type ActorRef = { type: string; id: string };
/** What the lookup found for one actor: the user's name and email, or the token's name. */
export type ActorRow = { type: "user" | "api_token"; id: string; name: string | null; email: string | null };

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Users and API tokens by id, in one query for every id a page shows, scoped to the principal:
 * a principal limited to tenants sees only actors that share one of its tenants or have no tenant
 * limit themselves; an actor of another tenant is not returned (the page keeps its id).
 */
export async function lookupActors(
  principal: Pick<Principal, "tenantIds">,
  refs: readonly ActorRef[],
): Promise<ActorRow[]> {
  const users = [...new Set(refs.filter((r) => r.type === "user" && UUID_TEXT.test(r.id)).map((r) => r.id))];
  const tokens = [...new Set(refs.filter((r) => r.type === "api_token" && UUID_TEXT.test(r.id)).map((r) => r.id))];
  if (users.length === 0 && tokens.length === 0) return [];
  const scoped = principal.tenantIds.length > 0;
  const tenants = principal.tenantIds;
  return db().$queryRaw<ActorRow[]>`
    select 'user' as type, u.id::text as id, u.name, u.email
      from app_user u
     where u.id = any(${users}::uuid[])
       and (${!scoped} or cardinality(u.tenant_ids) = 0 or u.tenant_ids && ${tenants}::text[])
    union all
    select 'api_token' as type, t.id::text as id, t.name, null as email
      from api_token t
     where t.id = any(${tokens}::uuid[])
       and (${!scoped} or cardinality(t.tenant_ids) = 0 or t.tenant_ids && ${tenants}::text[])`;
}
