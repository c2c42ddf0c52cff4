// The auth domain's queries: dashboard sessions' rows (user_session); sessions.ts decides what they mean.
import "server-only";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";

/** The transaction of a change that ends sessions (a user change: lib/users/manage-users.ts). */
export type SessionTx = Pick<Tx, "userSession">;

/** Removes the user's sessions that expired before `before`. */
export async function deleteExpiredSessions(userId: string, before: Date): Promise<void> {
  await db().userSession.deleteMany({ where: { userId, expiresAt: { lt: before } } });
}

export async function insertSession(userId: string, createdAt: Date, expiresAt: Date): Promise<string> {
  const row = await db().userSession.create({
    data: { userId, createdAt, expiresAt },
    select: { id: true },
  });
  return row.id;
}

/** One primary-key lookup. */
export function findSession(id: string) {
  return db().userSession.findUnique({
    where: { id },
    select: { userId: true, revokedAt: true, expiresAt: true },
  });
}

export async function markSessionRevoked(id: string, now: Date): Promise<void> {
  await db().userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends every live session of the user, in the transaction of the change that requires it. */
export async function revokeUserSessions(tx: SessionTx, userId: string, now = new Date()): Promise<number> {
  const { count } = await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return count;
}
