// Short-lived API access tokens: HS256 only, 15 minutes, signed with AUTH_SECRET.
import { jwtVerify, SignJWT, errors } from "jose";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
// Clocks of the issuing and the verifying process may differ a little (several replicas).
const CLOCK_TOLERANCE_SECONDS = 30;
const ISSUER = "pilot-in-a-box";
const AUDIENCE = "pilot-in-a-box-api";

function key(): Uint8Array {
  return new TextEncoder().encode(env().authSecret);
}

export async function signAccessToken(userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
  // iat has second precision; iat_ms lets a password reset end tokens issued a moment before it.
  const token = await new SignJWT({ typ: "access", iat_ms: now.getTime() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key());
  return { token, expiresAt: new Date(exp * 1000) };
}

/** The user id and issue time, or null for any invalid, expired or foreign token. */
export async function verifyAccessToken(token: string): Promise<{ userId: string; issuedAt: Date } | null> {
  try {
    const { payload } = await jwtVerify(token, key(), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
      // exp alone would let a token carrying a far-future exp live for ever: no token of ours is
      // older than its lifetime, whatever exp it claims (and iat may not lie in the future).
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.typ !== "access" || typeof payload.sub !== "string") return null;
    const iatMs = typeof payload.iat_ms === "number" ? payload.iat_ms : (payload.iat ?? 0) * 1000;
    return { userId: payload.sub, issuedAt: new Date(iatMs) };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
