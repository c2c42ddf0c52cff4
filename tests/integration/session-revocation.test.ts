import { encode } from "next-auth/jwt";
import { describe, expect, inject, it } from "vitest";
import { sessionCookie } from "../support/credentials";
import { adminToken, baseUrl, call, freshIp, TEST_PASSWORD, userWithRole } from "../support/http";

// A copy of a session cookie (taken from the browser, a proxy log, a shared machine) must stop
// working when the session ends: on sign-out, and when an admin changes the user's password, role
// or disables them.

/** Signs out the way the dashboard's button does: next-auth's CSRF-protected POST. */
async function signOut(cookie: string): Promise<void> {
  const ip = freshIp();
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { Cookie: cookie, "X-Forwarded-For": ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  const res = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Cookie: `${cookie}; ${csrfCookie}`,
      "X-Forwarded-For": ip,
    },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login", json: "true" }),
  });
  expect(res.status).toBeLessThan(400);
  // The browser's own copy is cleared; the point of the test is the copy kept elsewhere.
  expect(res.headers.getSetCookie().some((c) => /^pib\.session=;/.test(c))).toBe(true);
}

const page = (path: string, cookie: string) =>
  fetch(`${baseUrl()}${path}`, { headers: { Cookie: cookie, "X-Forwarded-For": freshIp() }, redirect: "manual" });

/** A session cookie the server handed back with a value (a renewal), as opposed to a deletion. */
function renewed(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => /^pib\.session=[^;]+/.test(c));
}

async function expectLive(cookie: string): Promise<void> {
  expect((await call("/api/v1/me", { headers: { Cookie: cookie } })).status).toBe(200);
  const res = await page("/", cookie);
  expect(res.status).toBe(200);
  // A live session slides: the page view renews the cookie.
  expect(renewed(res)).toBeTruthy();
}

async function expectEnded(cookie: string, name: string): Promise<void> {
  const api = await call("/api/v1/me", { headers: { Cookie: cookie } });
  expect(api.status, `${name}: API`).toBe(401);
  for (const path of ["/", "/recommendations", "/logout"]) {
    const res = await page(path, cookie);
    expect(res.status, `${name}: ${path}`).toBe(307);
    expect(new URL(res.headers.get("location") ?? "", baseUrl()).pathname, `${name}: ${path}`).toBe("/login");
    expect(renewed(res), `${name}: ${path} renewed the cookie`).toBeUndefined();
  }
  // The login page is public: it shows the form, and must not renew the ended session either.
  const login = await page("/login", cookie);
  expect(login.status, `${name}: /login`).toBe(200);
  expect(renewed(login), `${name}: /login renewed the cookie`).toBeUndefined();
}

describe("session revocation", () => {
  it("ends a copied session cookie when its session signs out", async () => {
    const user = await userWithRole("analyst");
    const cookie = await sessionCookie(user.email, TEST_PASSWORD);
    const copy = cookie;
    // A second session of the same user (another browser) is not ended by this sign-out.
    const other = await sessionCookie(user.email, TEST_PASSWORD);
    await expectLive(copy);
    await signOut(cookie);
    await expectEnded(copy, "sign-out");
    await expectLive(other);
    // Signing in again gives a new, working session.
    await expectLive(await sessionCookie(user.email, TEST_PASSWORD));
  });

  const changes: [string, Record<string, unknown>][] = [
    ["password change", { password: "a-brand-new-password-9" }],
    ["disable", { disabled: true }],
    ["role change", { role: "viewer" }],
  ];

  it.each(changes)("ends the user's live session cookies on a %s by an admin", async (name, body) => {
    const user = await userWithRole("analyst");
    const cookie = await sessionCookie(user.email, TEST_PASSWORD);
    await expectLive(cookie);
    const res = await call(`/api/v1/users/${user.id}`, { method: "PATCH", token: await adminToken(), body });
    expect(res.status).toBe(200);
    await expectEnded(cookie, name);
  });

  it("refuses a cookie sealed with the right secret but naming no stored session", async () => {
    const user = await userWithRole("analyst");
    const token = {
      uid: user.id,
      role: "analyst",
      loginAt: Date.now() + 1000,
      sid: "00000000-0000-4000-8000-000000000000",
    };
    const forged = `pib.session=${await encode({ token, secret: inject("authSecret"), maxAge: 1800 })}`;
    await expectEnded(forged, "unknown session id");
  });
});
