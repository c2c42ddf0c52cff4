// Runs before every request (Node.js runtime): the page CSP with a fresh nonce, CORS for the
// API, an early redirect to /login for signed-out page views (an ended session counts as signed
// out), and the sliding 30-minute session.
// It is never the only access check: pages and routes check again on the server.
import { encode, getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { SESSION_IDLE_SECONDS, sessionExpiredAbsolutely } from "@/lib/auth/session-limits";
import { sessionIsLive } from "@/lib/auth/sessions";
import { env, secureCookiesEnabled } from "@/lib/env";
import { corsHeaders, preflightHeaders } from "@/lib/http/cors";
import { pageCsp } from "@/lib/http/csp";
import { requestIdOf } from "@/lib/http/request-context";

const PUBLIC_PAGES = new Set(["/login"]);

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/")) return api(request);

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", https: secureCookiesEnabled() });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);

  const secret = env().authSecret;
  const cookieName = sessionCookieName();
  const token = await getToken({ req: request, secret, cookieName });
  // A cookie whose session was ended (sign-out, or an admin's change to the user) counts as signed
  // out here too, so it is never renewed: one primary-key lookup per page view with a cookie.
  let signedIn: boolean;
  try {
    signedIn =
      Boolean(token?.uid) && !sessionExpiredAbsolutely(token?.loginAt) && (await sessionIsLive(token?.sid, token?.uid));
  } catch {
    // The database cannot say whether the session lives: a retryable 503, as the API answers, not a 500.
    const unavailable = new NextResponse(
      "<!doctype html><title>Service unavailable</title><p>The database is unavailable; retry shortly.</p>",
      {
        status: 503,
        headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
      },
    );
    unavailable.headers.set("Content-Security-Policy", csp);
    return unavailable;
  }

  let response: NextResponse;
  if (!signedIn && !PUBLIC_PAGES.has(pathname)) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", `${pathname}${request.nextUrl.search}`);
    if (token) login.searchParams.set("expired", "1");
    response = NextResponse.redirect(login);
    if (token) response.cookies.delete(cookieName);
  } else {
    response = NextResponse.next({ request: { headers: requestHeaders } });
    if (token && !signedIn) response.cookies.delete(cookieName);
    if (signedIn && token) {
      // Sliding idle expiry: each page view extends the session by the idle window.
      const value = await encode({ token, secret, maxAge: SESSION_IDLE_SECONDS });
      response.cookies.set(cookieName, value, {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: secureCookiesEnabled(),
        maxAge: SESSION_IDLE_SECONDS,
      });
    }
  }
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

function api(request: NextRequest): NextResponse {
  // Every API answer carries a request id, also for routes outside the API wrapper.
  const requestId = requestIdOf(request.headers);
  const origin = request.headers.get("origin");
  const allowed = env().CORS_ORIGINS;
  if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
    const headers = preflightHeaders(origin, allowed);
    return new NextResponse(null, { status: headers ? 204 : 403, headers: headers ?? {} });
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("X-Request-Id", requestId);
  const headers = corsHeaders(origin, allowed);
  if (headers) for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
  return response;
}

export const config = {
  matcher: [
    {
      // Not the site's icon (the sign-in page shows it too), nor the CSV upload route: a proxy
      // buffers request bodies (up to 10 MB, then truncates), and uploads stream up to
      // DATASET_MAX_BYTES straight into the database.
      // Prefetches too (`Purpose: prefetch`, `Next-Router-Prefetch`): a prefetched page is rendered
      // and may be shown, so it needs the CSP and the session checks like any other page view.
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|fonts/|api/v1/datasets$).*)",
    },
  ],
};
