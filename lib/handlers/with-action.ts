// The server actions' wrapper, as withApi is the routes': the role check on the server, the request
// context for the audit trail, and every failure turned into what the form shows (an AppError's
// message and field problems, a zod error's fields; anything else logged and reported as unexpected).
// Next.js's own control flow (redirect, forbidden, notFound) passes through, never reported as a
// failure. A handler answers its form, or names the page to go to once it has succeeded.
import "server-only";
import { redirect, unstable_rethrow } from "next/navigation";
import type { Principal } from "@/lib/access/principal";
import type { Action } from "@/lib/access/permissions";
import { actionContext, requireRole } from "@/lib/auth/require-user";
import type { RequestContext } from "@/lib/audit/types";
import { actionFailure, type ActionResult, type FormAction } from "@/lib/http/action-result";

export type ActionArgs = { principal: Principal; form: FormData; context: RequestContext };
export type ActionAnswer<T> = ActionResult<T> | { redirectTo: string };

export function withAction<T = undefined>(
  action: Action,
  handler: (args: ActionArgs) => Promise<ActionAnswer<T>>,
): FormAction<T> {
  return async (_previous, form) => {
    let answer: ActionAnswer<T>;
    try {
      const principal = await requireRole(action);
      answer = await handler({ principal, form, context: await actionContext() });
    } catch (error) {
      unstable_rethrow(error);
      return actionFailure(error);
    }
    // Outside the try: redirect() throws Next.js's own signal.
    if ("redirectTo" in answer) redirect(answer.redirectTo);
    return answer;
  };
}
