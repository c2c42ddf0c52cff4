// RFC 9457 problem details.
import { ZodError } from "zod";
import { AppError, ERROR_TITLES, type FieldProblem } from "./app-error";

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  request_id?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
};

const TYPE_BASE = "https://pilot-in-a-box.dev/problems/";

/** RFC 6901 JSON Pointer of a zod issue path. */
export function jsonPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

export function zodToAppError(error: ZodError, where: "body" | "query" | "params" = "body"): AppError {
  const errors = error.issues.map((issue) => ({
    pointer: jsonPointer(issue.path),
    detail: issue.message,
    code: issue.code,
  }));
  const noun = errors.length === 1 ? "problem" : "problems";
  return new AppError("validation_failed", `The request ${where} has ${errors.length} ${noun}`, { errors });
}

export function problemBody(error: AppError, requestId?: string, instance?: string): Problem {
  return {
    type: `${TYPE_BASE}${error.code}`,
    title: ERROR_TITLES[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { request_id: requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extensions,
  };
}

export function problemResponse(error: AppError, requestId?: string, instance?: string): Response {
  const headers = new Headers(error.headers);
  headers.set("Content-Type", "application/problem+json");
  headers.set("Cache-Control", "no-store");
  if (requestId) headers.set("X-Request-Id", requestId);
  if (error.status === 401) headers.set("WWW-Authenticate", 'Bearer realm="pilot-in-a-box"');
  return new Response(JSON.stringify(problemBody(error, requestId, instance)), {
    status: error.status,
    headers,
  });
}
