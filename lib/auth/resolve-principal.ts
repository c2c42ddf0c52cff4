// Who is calling: a Bearer API token or access JWT, or the dashboard session cookie.
import "server-only";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getApiTokenByHash, touchLastUsed } from "@/lib/api-tokens/repo";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { getUserById, type PublicUser } from "@/lib/users/repo";
import { verifyAccessToken } from "./access-jwt";
import type { Principal } from "@/lib/access/principal";
import { API_TOKEN_PREFIX, sha256Hex } from "@/lib/access/secrets";
import { sessionCookieName } from "./session-cookie";
import { sessionExpiredAbsolutely } from "./session-limits";
import { sessionIsLive } from "./sessions";

const INVALID = "The bearer token is invalid, expired or revoked";

export async function resolvePrincipal(request: NextRequest): Promise<Principal | null> {
  const header = request.headers.get("authorization");
  // Behind the ingress's password protection a browser sends `Basic …` on every request: that
  // credential is the proxy's, not ours, so the session cookie decides.
  if (header !== null && !/^Basic\s/i.test(header)) {
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
    if (!match) throw new AppError("unauthenticated", "The Authorization header must be `Bearer <token>`");
    const token = match[1]!;
    return token.startsWith(API_TOKEN_PREFIX) ? fromApiToken(token) : fromAccessJwt(token);
  }
  return fromSessionCookie(request);
}

async function fromApiToken(secret: string): Promise<Principal> {
  const token = await getApiTokenByHash(sha256Hex(secret));
  const now = new Date();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
    throw new AppError("unauthenticated", INVALID);
  }
  await touchLastUsed(token.id, now);
  return {
    kind: "api_token",
    id: token.id,
    label: `${token.name} (${token.prefix}…)`,
    role: token.role,
    tenantIds: token.tenantIds,
    via: "api_token",
  };
}

async function fromAccessJwt(jwt: string): Promise<Principal> {
  const claims = await verifyAccessToken(jwt);
  if (!claims) throw new AppError("unauthenticated", INVALID);
  const user = await activeUser(claims.userId, claims.issuedAt.getTime());
  if (!user) throw new AppError("unauthenticated", INVALID);
  return userPrincipal(user, "jwt");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A cookie rides along on cross-site requests too: a state-changing call authenticated by the
 * session cookie must come from this site (Fetch Metadata, or else the Origin header).
 */
function assertSameSite(request: NextRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site) {
    if (site === "same-origin" || site === "none") return;
    throw new AppError("forbidden", "A cross-site request may not use the session cookie; send a Bearer token");
  }
  const origin = request.headers.get("origin");
  if (!origin) return;
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  if (host === null || host !== request.headers.get("host")) {
    throw new AppError("forbidden", "A cross-site request may not use the session cookie; send a Bearer token");
  }
}

async function fromSessionCookie(request: NextRequest): Promise<Principal | null> {
  const token = await getToken({ req: request, secret: env().authSecret, cookieName: sessionCookieName() });
  if (!token || typeof token.uid !== "string" || sessionExpiredAbsolutely(token.loginAt)) return null;
  if (!(await sessionIsLive(token.sid, token.uid))) return null;
  const user = await activeUser(token.uid, Number(token.loginAt));
  if (user) assertSameSite(request);
  return user ? userPrincipal(user, "session") : null;
}

/** The user, unless disabled or their credentials changed after this session/JWT was issued. */
export async function activeUser(userId: string, issuedAtMs: number): Promise<PublicUser | null> {
  const user = await getUserById(userId);
  if (!user || user.disabledAt) return null;
  if (issuedAtMs < user.credentialsAt.getTime()) return null;
  return user;
}

export function userPrincipal(user: PublicUser, via: Principal["via"]): Principal {
  return { kind: "user", id: user.id, label: user.email, role: user.role, tenantIds: user.tenantIds, via };
}
