// What a server action returns to its form: ok, or the problems to show.
import { ZodError } from "zod";
import { logger } from "@/lib/observability/logger";
import { AppError } from "./app-error";
import { zodToAppError } from "./problem";

export type ActionResult<T = undefined> =
  { ok: true; data?: T; message?: string } | { ok: false; error: string; fieldErrors?: Record<string, string> };

/**
 * A server action as a form calls it (React's useActionState). Pages pass theirs to the client
 * components that submit them, so components never import app/.
 */
export type FormAction<T = undefined> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export function actionFailure(error: unknown): ActionResult<never> {
  const appError = error instanceof ZodError ? zodToAppError(error) : error instanceof AppError ? error : null;
  if (!appError) {
    logger.error("server action failed", { error });
    return { ok: false, error: "An unexpected error occurred; it has been logged." };
  }
  const fieldErrors = Object.fromEntries((appError.errors ?? []).map((e) => [e.pointer.replace(/^\//, ""), e.detail]));
  return { ok: false, error: appError.message, fieldErrors };
}
