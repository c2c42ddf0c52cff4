import { describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, sessionExpiredAbsolutely } from "./session-limits";

describe("session limits", () => {
  it("are 30 minutes idle and 8 hours absolute", () => {
    expect(SESSION_IDLE_SECONDS).toBe(1800);
    expect(SESSION_ABSOLUTE_SECONDS).toBe(28_800);
  });

  it("end a session 8 hours after sign-in however active it was", () => {
    const now = Date.UTC(2026, 10, 23, 12);
    expect(sessionExpiredAbsolutely(now - 7.9 * 3600_000, now)).toBe(false);
    expect(sessionExpiredAbsolutely(now - 8.1 * 3600_000, now)).toBe(true);
    expect(sessionExpiredAbsolutely(undefined, now)).toBe(true);
  });
});
