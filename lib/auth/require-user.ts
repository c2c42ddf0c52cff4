// Server-side access checks for pages and server actions. proxy.ts only redirects early; these
// are the checks that count.
import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { requestContextOf } from "@/lib/http/request-context";
import type { RequestContext } from "@/lib/audit/types";
import { authOptions } from "./auth-options";
import { allowed, type Action } from "@/lib/access/permissions";
import type { Principal } from "@/lib/access/principal";
import { activeUser, userPrincipal } from "./resolve-principal";
import { sessionExpiredAbsolutely } from "./session-limits";

export async function currentPrincipal(): Promise<Principal | null> {
  const session = (await getServerSession(authOptions())) as { loginAt?: number; user?: { id?: string } } | null;
  const userId = session?.user?.id;
  if (!userId || sessionExpiredAbsolutely(session.loginAt)) return null;
  const user = await activeUser(userId, session.loginAt ?? 0);
  return user ? userPrincipal(user, "session") : null;
}

export async function requireUser(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  return principal;
}

export async function requireRole(action: Action): Promise<Principal> {
  const principal = await requireUser();
  if (!allowed(principal, action)) forbidden();
  return principal;
}

export async function actionContext(): Promise<RequestContext> {
  return requestContextOf(await headers());
}
