// bcrypt reads only a password's first 72 bytes: longer ones are refused when set and when signing
// in (so a 72-byte prefix of a longer password opens nothing), and so are the most common passwords.
import bcrypt from "bcryptjs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { adminToken, call, expectProblem, freshIp, uniqueEmail, userWithRole } from "../support/http";

async function createUser(password: string): Promise<{ status: number; text: string }> {
  const res = await call("/api/v1/users", {
    token: await adminToken(),
    body: { email: uniqueEmail("pw"), password, role: "viewer" },
  });
  if (res.status >= 400) expectProblem(res);
  return { status: res.status, text: await res.text() };
}

describe("password rules", () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(() => db.connect());
  afterAll(() => db.end());

  it("refuses a password longer than 72 bytes of UTF-8, naming the limit", async () => {
    // 37 two-byte characters: 37 characters but 74 bytes.
    for (const password of ["x".repeat(73), "é".repeat(37)]) {
      const res = await createUser(password);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/72 bytes/);
    }
    expect((await createUser("é".repeat(36))).status).toBe(201);
  });

  it("refuses the most common passwords", async () => {
    for (const password of ["password1234", "Password1234", "qwerty123456"]) {
      const res = await createUser(password);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/too common/);
    }
    const short = await createUser("password123");
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/at least 12 characters/);
  });

  it("does not sign in with the 72-byte prefix of a longer password set before the limit plus anything", async () => {
    const user = await userWithRole("viewer");
    const long = `${"p".repeat(72)}-and-the-rest-of-it`;
    await db.query("UPDATE app_user SET password_hash = $1 WHERE id = $2", [await bcrypt.hash(long, 4), user.id]);
    const prefix = await call("/api/v1/auth/token", {
      body: { email: user.email, password: `${long.slice(0, 72)}-a-guess` },
      ip: freshIp(),
    });
    expect(prefix.status).toBe(401);
    const whole = await call("/api/v1/auth/token", { body: { email: user.email, password: long }, ip: freshIp() });
    expect(whole.status).toBe(401);
  });
});
