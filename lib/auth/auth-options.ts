// next-auth: credentials sign-in, JWT session in an httpOnly cookie, 30 min idle / 8 h absolute.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { env, secureCookiesEnabled } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { requestContextOf } from "@/lib/http/request-context";
import { checkCredentials } from "./login";
import { sessionCookieName } from "./session-cookie";
import { SESSION_IDLE_SECONDS } from "./session-limits";
import { createSession, revokeSession, sessionIsLive } from "./sessions";

/** Thrown by the jwt callback for a cookie whose session has ended: next-auth then answers "no session" and clears the cookie. */
class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

function headersOf(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === "string") headers.set(k, v);
  return headers;
}

export function authOptions(): NextAuthOptions {
  const secure = secureCookiesEnabled();
  return {
    secret: env().authSecret,
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS, updateAge: 0 },
    jwt: { maxAge: SESSION_IDLE_SECONDS },
    pages: { signIn: "/login" },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        options: { httpOnly: true, sameSite: "lax", path: "/", secure },
      },
    },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "");
          const password = String(credentials?.password ?? "");
          const context = requestContextOf(headersOf(req?.headers as Record<string, unknown>));
          try {
            const user = await checkCredentials({ email, password }, context, "dashboard");
            return { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role };
          } catch (error) {
            // next-auth shows a thrown message as the error code on the login page.
            if (error instanceof AppError && error.code === "rate_limited") {
              throw new Error(`rate_limited:${error.headers?.["Retry-After"] ?? "60"}`);
            }
            if (error instanceof AppError) return null;
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: string }).role;
          token.loginAt = Date.now();
          token.sid = await createSession(user.id, token.loginAt);
          return token;
        }
        // Every later read of the session (getServerSession on pages, /api/auth/session) checks
        // that the sign-in has not been ended, so a copied cookie dies with its session.
        if (!(await sessionIsLive(token.sid, token.uid))) throw new SessionEndedError("The session has ended");
        return token;
      },
      async session({ session, token }) {
        return { ...session, loginAt: token.loginAt, user: { ...session.user, id: token.uid, role: token.role } };
      },
    },
    // An ended session is an expected answer ("signed out"), not an error worth a stack trace.
    logger: {
      error(code, metadata) {
        if (code === "JWT_SESSION_ERROR" && metadata instanceof SessionEndedError) return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.uid !== "string") return;
        // The cookie in this browser is cleared; copies of it must stop working too.
        await revokeSession(token.sid);
        await recordAuditAlone({
          actor: { type: "user", id: token.uid, label: token.email ?? null },
          action: "auth.logout",
          targetType: "user",
          targetId: token.uid,
        });
      },
    },
  };
}
