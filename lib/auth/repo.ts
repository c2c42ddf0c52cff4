// The auth domain's queries: dashboard sessions' rows (user_session); sessions.ts decides what they
// mean. Ending a user's sessions when the user changes is the users domain's (lib/users/repo.ts).
import "server-only";
import { db } from "@/lib/db";

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
