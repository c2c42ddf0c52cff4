// Dashboard sessions stored server-side. The session cookie is a sealed JWT that would otherwise
// stay valid until it expires, whoever holds a copy; it names its user_session row (`sid`), and
// every place that accepts the cookie asks whether that row is still live.
import "server-only";
import { deleteExpiredSessions, findSession, insertSession, markSessionRevoked } from "./repo";
import { SESSION_ABSOLUTE_SECONDS } from "./session-limits";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stores a new session of the user signed in at `loginAtMs` and returns its id. */
export async function createSession(userId: string, loginAtMs: number): Promise<string> {
  // The user's sessions past their absolute limit are of no further use: rows stay bounded.
  await deleteExpiredSessions(userId, new Date(loginAtMs));
  return insertSession(userId, new Date(loginAtMs), new Date(loginAtMs + SESSION_ABSOLUTE_SECONDS * 1000));
}

/**
 * Whether the session is live: stored, of this user, not revoked and not past its absolute limit.
 * One primary-key lookup; a cookie without a session id (sealed before sessions were stored, or
 * forged with the secret) is not live.
 */
export async function sessionIsLive(sid: unknown, userId: unknown, now = new Date()): Promise<boolean> {
  if (typeof sid !== "string" || !UUID.test(sid) || typeof userId !== "string") return false;
  const row = await findSession(sid);
  return row !== null && row.userId === userId && row.revokedAt === null && row.expiresAt > now;
}

/** Ends one session (sign-out). */
export async function revokeSession(sid: unknown, now = new Date()): Promise<void> {
  if (typeof sid !== "string" || !UUID.test(sid)) return;
  await markSessionRevoked(sid, now);
}
