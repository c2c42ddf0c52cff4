// Dashboard sessions as a browser gets them, and the broken credentials an attacker would try:
// expired, revoked and forged API tokens, access JWTs and session cookies.
import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { encode } from "next-auth/jwt";
import { inject } from "vitest";
import { baseUrl, freshIp } from "./http";
import { signIn } from "./sign-in";

const COOKIE = "pib.session";

/** Signs in through next-auth's credentials flow and returns the `Cookie` header value of the session. */
export function sessionCookie(email: string, password: string): Promise<string> {
  return signIn(baseUrl(), email, password, { "X-Forwarded-For": freshIp() });
}

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
const key = (secret: string) => new TextEncoder().encode(secret);

/** An access JWT signed with the test server's secret (or `secret`), with any claims overridden. */
export async function accessJwt(
  sub: string,
  claims: { secret?: string; iat?: number; iatMs?: number; exp?: number; aud?: string; typ?: string; alg?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = claims.iat ?? now;
  return new SignJWT({ typ: claims.typ ?? "access", iat_ms: claims.iatMs ?? iat * 1000 })
    .setProtectedHeader({ alg: claims.alg ?? "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuer("pilot-in-a-box")
    .setAudience(claims.aud ?? "pilot-in-a-box-api")
    .setIssuedAt(iat)
    .setExpirationTime(claims.exp ?? iat + 900)
    .setJti(randomUUID())
    .sign(key(claims.secret ?? inject("authSecret")));
}

export type BadCredential = { name: string; headers: Record<string, string> };

/**
 * Bearer credentials that must all get 401, built around a real JWT of `userId` and real (revoked
 * and expired) API tokens; and session cookies that must count as signed out.
 */
export async function badCredentials(input: {
  userId: string;
  validJwt: string;
  revokedToken: string;
  expiredToken: string;
}): Promise<{ bearer: BadCredential[]; cookies: BadCredential[] }> {
  const { userId, validJwt } = input;
  const [header, payload, signature] = validJwt.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const bearer = (name: string, token: string): BadCredential => ({
    name,
    headers: { Authorization: `Bearer ${token}` },
  });
  const secret = inject("authSecret");
  const sessionOf = async (
    name: string,
    token: Record<string, unknown>,
    opts: { secret?: string; maxAge?: number } = {},
  ): Promise<BadCredential> => ({
    name,
    headers: {
      Cookie: `${COOKIE}=${await encode({ token, secret: opts.secret ?? secret, maxAge: opts.maxAge ?? 1800 })}`,
    },
  });
  const realCookie = await encode({ token: { uid: userId, loginAt: Date.now() }, secret, maxAge: 1800 });
  const flipped = `${realCookie.slice(0, -6)}${realCookie.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
  return {
    bearer: [
      bearer("revoked API token", input.revokedToken),
      bearer("expired API token", input.expiredToken),
      bearer("unknown API token", `pib_${randomBytes(24).toString("base64url")}`),
      bearer("JWT with a bad signature", `${header}.${payload}.${Buffer.from(randomBytes(32)).toString("base64url")}`),
      bearer("JWT signed with another key", await accessJwt(userId, { secret: randomBytes(48).toString("base64url") })),
      bearer("JWT with alg none", `${b64({ alg: "none", typ: "JWT" })}.${payload}.`),
      bearer(
        "JWT with a tampered payload",
        `${header}.${b64({ ...claims, exp: now + 86_400, sub: randomUUID() })}.${signature}`,
      ),
      bearer("expired JWT", await accessJwt(userId, { iat: now - 3600, exp: now - 1800 })),
      bearer("JWT for another audience", await accessJwt(userId, { aud: "someone-else" })),
      bearer("JWT of another type", await accessJwt(userId, { typ: "refresh" })),
      bearer("JWT signed HS512 with the right key", await accessJwt(userId, { alg: "HS512" })),
      { name: "malformed Authorization header", headers: { Authorization: `Token ${validJwt}` } },
    ],
    cookies: [
      { name: "garbage session cookie", headers: { Cookie: `${COOKIE}=${randomBytes(64).toString("base64url")}` } },
      { name: "session cookie with a flipped byte", headers: { Cookie: `${COOKIE}=${flipped}` } },
      await sessionOf(
        "session cookie sealed with another secret",
        { uid: userId, loginAt: Date.now() },
        { secret: randomBytes(48).toString("base64url") },
      ),
      await sessionOf("expired session cookie", { uid: userId, loginAt: Date.now() - 3_600_000 }, { maxAge: -60 }),
      await sessionOf("session past the 8-hour absolute limit", { uid: userId, loginAt: Date.now() - 9 * 3_600_000 }),
      await sessionOf("session of a user that does not exist", { uid: randomUUID(), loginAt: Date.now() }),
      await sessionOf("session issued before the user's credentials changed", {
        uid: userId,
        loginAt: Date.now() - 1_200_000,
      }),
    ],
  };
}
