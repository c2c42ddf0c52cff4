// bcryptjs (pure JS: no native build to break in Docker), async only, cost 12.
import bcrypt from "bcryptjs";
import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

const COST = 12;
// A real hash of a random string, compared against when the account does not exist so that
// "unknown user" and "wrong password" take the same time.
const DUMMY_HASH = "$2b$12$SaBJbKJO3KYQq.ENTJTQKey0XHWVrNcCkAvqhBM5pqzegX70DfaI6";

/** bcrypt reads only the first 72 bytes: anything after them would not be part of the password. */
export const MAX_PASSWORD_BYTES = 72;

const byteLength = (password: string): number => Buffer.byteLength(password, "utf8");

export const PasswordSchema = z
  .string()
  .min(12, "must be at least 12 characters")
  .refine(
    (p) => byteLength(p) <= MAX_PASSWORD_BYTES,
    `must be at most ${MAX_PASSWORD_BYTES} bytes of UTF-8 (a character outside ASCII takes 2 to 4)`,
  )
  // One problem per password: a too-short one is not also reported as common.
  .refine(
    (p) => p.length < 12 || !isCommonPassword(p),
    "is too common (it is on a list of leaked passwords): choose another",
  )
  .meta({ description: `12 characters to ${MAX_PASSWORD_BYTES} bytes of UTF-8, not a common password` });

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  // A longer input would be compared by its first 72 bytes only, so a password set before the limit
  // would open with its prefix plus anything. Refused, after a comparison that takes as long.
  const tooLong = byteLength(password) > MAX_PASSWORD_BYTES;
  const ok = await bcrypt.compare(tooLong ? "" : password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash) && !tooLong;
}
