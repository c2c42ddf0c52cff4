import { createHash, randomBytes, randomInt } from "node:crypto";

export const API_TOKEN_PREFIX = "pib_";

/** 32 random bytes, base64url, with a recognisable prefix (for secret scanners and humans). */
export function generateApiTokenSecret(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** A random password for the first admin: 24 characters from an unambiguous alphabet. */
export function generatePassword(length = 24): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}
