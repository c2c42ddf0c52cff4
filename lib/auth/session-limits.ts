// Dashboard sessions: 30 minutes idle, 8 hours absolute.
export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 8 * 60 * 60;

export function sessionExpiredAbsolutely(loginAtMs: unknown, nowMs = Date.now()): boolean {
  return typeof loginAtMs !== "number" || nowMs - loginAtMs > SESSION_ABSOLUTE_SECONDS * 1000;
}
