// Creates the first admin on first start: from ADMIN_EMAIL/ADMIN_PASSWORD when set, otherwise
// admin@localhost with a random password returned once to be printed (only its hash is stored).
import "server-only";
import { hashPassword, PasswordSchema } from "@/lib/access/password";
import { generatePassword } from "@/lib/access/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { countUsers, inTransaction, insertUser, lockFirstAdmin } from "./repo";

export type FirstAdmin = { email: string; generatedPassword: string | null } | null;

export async function ensureFirstAdmin(env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string }): Promise<FirstAdmin> {
  if ((await countUsers()) > 0) return null;
  const email = (env.ADMIN_EMAIL ?? "admin@localhost").trim().toLowerCase();
  const given = env.ADMIN_PASSWORD;
  if (given !== undefined) {
    const checked = PasswordSchema.safeParse(given);
    if (!checked.success) throw new Error(`ADMIN_PASSWORD ${checked.error.issues[0]?.message ?? "is invalid"}`);
  }
  const password = given ?? generatePassword();
  const passwordHash = await hashPassword(password);
  // The lock makes two replicas starting at once create one admin, not two.
  return inTransaction(async (tx) => {
    await lockFirstAdmin(tx);
    if ((await countUsers(tx)) > 0) return null;
    const user = await insertUser(tx, { email, passwordHash, role: "admin", tenantIds: [] });
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: "user.bootstrap_admin",
      targetType: "user",
      targetId: user.id,
      inputs: { email, password_source: given === undefined ? "generated" : "ADMIN_PASSWORD" },
    });
    return { email, generatedPassword: given === undefined ? password : null };
  });
}
