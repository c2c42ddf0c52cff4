// Checks an email and password under brute-force limits (attempts per address; growing delays after
// failures per account and address, and per account: lib/auth/login-throttle) and audits the
// outcome. Unknown user and wrong password give the same answer and take as long.
import "server-only";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/audit/types";
import { AppError } from "@/lib/http/app-error";
import { consume } from "@/lib/http/rate-limit";
import { getUserForLogin, normalizeEmail, touchLastLogin, type PublicUser } from "@/lib/users/repo";
import { assertMayTry, clearPair, recordFailure } from "./login-throttle";
import { verifyPassword } from "@/lib/access/password";

export const LOGIN_FAILED = "Invalid email or password";
const BLOCKED = "Too many sign-in attempts.";

export async function checkCredentials(
  input: { email: string; password: string },
  context: RequestContext,
  via: "dashboard" | "api",
): Promise<PublicUser> {
  const email = normalizeEmail(input.email).slice(0, 320);
  await consume("login_ip", context.ip ?? "unknown", BLOCKED);
  await assertMayTry(email, context.ip);
  const found = await getUserForLogin(email);
  const passwordOk = await verifyPassword(input.password, found?.passwordHash);
  if (!found || !passwordOk || found.disabledAt) {
    await recordFailure(email, context.ip);
    await recordAuditAlone({
      actor: found ? { type: "user", id: found.id, label: found.email } : { type: "anonymous", label: email },
      action: "auth.login_failed",
      result: "denied",
      inputs: { email, via, reason: !found ? "unknown_user" : found.disabledAt ? "disabled" : "wrong_password" },
      context,
    });
    throw new AppError("unauthenticated", LOGIN_FAILED);
  }
  await clearPair(email, context.ip);
  const { passwordHash: _omit, ...user } = found;
  void _omit;
  await touchLastLogin(user.id);
  await recordAuditAlone({
    actor: { type: "user", id: user.id, label: user.email },
    action: via === "api" ? "auth.token_issued" : "auth.login",
    targetType: "user",
    targetId: user.id,
    inputs: { email, via },
    context,
  });
  return user;
}
