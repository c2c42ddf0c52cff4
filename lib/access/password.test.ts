import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { isCommonPassword } from "./common-passwords";
import { MAX_PASSWORD_BYTES, PasswordSchema, verifyPassword } from "./password";

const problems = (password: string): string[] => {
  const parsed = PasswordSchema.safeParse(password);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe("PasswordSchema", () => {
  it("counts the 72-byte limit in bytes of UTF-8, not characters", () => {
    expect(problems("a".repeat(72))).toEqual([]);
    expect(problems("a".repeat(73))).toEqual([expect.stringMatching(/at most 72 bytes/)]);
    // "é" is 2 bytes, "€" 3, "😀" 4 (and 2 UTF-16 code units).
    expect(problems("é".repeat(36))).toEqual([]);
    expect(problems("é".repeat(37))).toEqual([expect.stringMatching(/at most 72 bytes/)]);
    expect(problems("€".repeat(24))).toEqual([]);
    expect(problems(`${"€".repeat(24)}x`)).toEqual([expect.stringMatching(/at most 72 bytes/)]);
    expect(problems("😀".repeat(18))).toEqual([]);
    expect(problems("😀".repeat(19))).toEqual([expect.stringMatching(/at most 72 bytes/)]);
  });

  it("refuses common passwords in any letter case", () => {
    for (const p of ["password1234", "PASSWORD1234", "Qwerty123456", "1qaz2wsx3edc"])
      expect(problems(p), p).toEqual([expect.stringMatching(/too common/)]);
    expect(problems("correct-horse-battery-staple")).toEqual([]);
  });

  it("still wants 12 characters", () => {
    // "password123" is also on the list: one problem is enough.
    expect(problems("password123")).toEqual(["must be at least 12 characters"]);
  });
});

describe("isCommonPassword", () => {
  it("finds the list's entries, ignoring case, and not others", () => {
    expect(isCommonPassword("123456")).toBe(true);
    expect(isCommonPassword("Password")).toBe(true);
    expect(isCommonPassword("letmein")).toBe(true);
    expect(isCommonPassword("zq8-Vt2u-pL4w")).toBe(false);
    expect(isCommonPassword("")).toBe(false);
  });
});

describe("verifyPassword", () => {
  it("refuses an input longer than 72 bytes, so a 72-byte prefix plus anything no longer matches", async () => {
    const long = `${"p".repeat(MAX_PASSWORD_BYTES)}-and-more`;
    const hash = await bcrypt.hash(long, 4);
    // bcrypt itself matches any input with the same first 72 bytes.
    expect(await bcrypt.compare(`${long.slice(0, MAX_PASSWORD_BYTES)}anything`, hash)).toBe(true);
    // The hash cannot tell that the password set before the limit was longer: its first 72 bytes are
    // what it ever protected, and they still sign in (the longer form no longer does).
    expect(await verifyPassword(long.slice(0, MAX_PASSWORD_BYTES), hash)).toBe(true);
    expect(await verifyPassword(`${long.slice(0, MAX_PASSWORD_BYTES)}anything`, hash)).toBe(false);
    expect(await verifyPassword(long, hash)).toBe(false);
  });

  it("accepts the right password of at most 72 bytes and nothing else", async () => {
    const password = "é".repeat(36);
    const hash = await bcrypt.hash(password, 4);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword("é".repeat(35), hash)).toBe(false);
    expect(await verifyPassword(password, null)).toBe(false);
  });
});
