// Short-lived API access tokens: HS256 only, 15 minutes, signed with AUTH_SECRET.
import { jwtVerify, SignJWT, errors } from "jose";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
// Clocks of the issuing and the verifying process may differ a little (several replicas).
const CLOCK_TOLERANCE_SECONDS = 30;
const ISSUER = "pilot-in-a-box";
const AUDIENCE = "pilot-in-a-box-api";

const keys = globalThis as unknown as { pibAccessKey?: { secret: string; key: Promise<CryptoKey> } };

/** The HMAC key, imported once per secret (jose would import raw bytes again on every call). */
function key(): Promise<CryptoKey> {
  const secret = env().authSecret;
  // Our own setting against our own copy of it (a rotation), never a value a caller sent.
  // eslint-disable-next-line security/detect-possible-timing-attacks
  if (keys.pibAccessKey?.secret !== secret) {
    keys.pibAccessKey = {
      secret,
      key: crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]),
    };
  }
  return keys.pibAccessKey.key;
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
    .sign(await key());
  return { token, expiresAt: new Date(exp * 1000) };
}

type Verified = { userId: string; issuedAt: Date };
const verified = globalThis as unknown as {
  pibVerifiedTokens?: Map<string, { secret: string; claims: Verified; validUntil: number }>;
};
const VERIFIED_MAX = 1_000;

/**
 * The user id and issue time, or null for any invalid, expired or foreign token. A token's
 * signature and claims are checked once; a collector resending with the same token for its 15
 * minutes gets the answer from memory until the token's own end (what the checks depend on besides
 * the token is the clock and the secret, both looked at again). Whether the user may still act is
 * decided per request by the caller (resolve-principal.ts), never cached.
 */
export async function verifyAccessToken(token: string): Promise<Verified | null> {
  const secret = env().authSecret;
  const cache = (verified.pibVerifiedTokens ??= new Map());
  const hit = cache.get(token);
  if (hit && hit.secret === secret && Date.now() < hit.validUntil) return hit.claims;
  const claims = await verifyUncached(token);
  if (claims) {
    // Until the earlier of exp and the maximum age (both with the tolerance jwtVerify allows).
    const { exp, iat } = decodeTimes(token);
    const validUntil =
      exp === null || iat === null
        ? 0
        : Math.min(exp, iat + ACCESS_TOKEN_TTL_SECONDS) * 1000 + CLOCK_TOLERANCE_SECONDS * 1000;
    if (cache.size >= VERIFIED_MAX) cache.delete(cache.keys().next().value!);
    cache.set(token, { secret, claims, validUntil });
  }
  return claims;
}

/** exp and iat of a token whose signature was just verified (seconds). */
function decodeTimes(token: string): { exp: number | null; iat: number | null } {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
    exp?: unknown;
    iat?: unknown;
  };
  return {
    exp: typeof payload.exp === "number" ? payload.exp : null,
    iat: typeof payload.iat === "number" ? payload.iat : null,
  };
}

async function verifyUncached(token: string): Promise<Verified | null> {
  try {
    const { payload } = await jwtVerify(token, await key(), {
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
