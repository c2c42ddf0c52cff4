// bcryptjs (pure JS: no native build to break in Docker), async only, cost 12.
import bcrypt from "bcryptjs";
import { z } from "zod";

const COST = 12;
// A real hash of a random string, compared against when the account does not exist so that
// "unknown user" and "wrong password" take the same time.
const DUMMY_HASH = "$2b$12$SaBJbKJO3KYQq.ENTJTQKey0XHWVrNcCkAvqhBM5pqzegX70DfaI6";

export const PasswordSchema = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(128, "must be at most 128 characters");

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash);
}
