// The reference engine over HTTP (BioCore's contract, §3): what its endpoints answer. One code for
// both places it is served: the app's routes (app/api/biocore-reference/*, behind the API wrapper,
// which reads the body and turns errors into problem+json) and the worker process's own loopback
// server (lib/biocore/reference-server.ts, through `answerReferenceRequest`, which does what the
// wrapper does for these routes).
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { toAppError } from "@/lib/http/map-error";
import { problemResponse } from "@/lib/http/problem";
import { readJson } from "@/lib/http/read-body";
import { requestIdOf } from "@/lib/http/request-context";
import { logger } from "@/lib/observability/logger";
import { recommend, referenceHealth, referenceVersion } from "./reference";

/** The path the engine's endpoints sit under, in the app and on the worker's loopback server alike. */
export const REFERENCE_BASE_PATH = "/api/biocore-reference";

// The reference engine is deterministic: an identical request (volatile fields aside) gets an
// identical answer, so the pilot's client may reuse it for a while.
const MAX_AGE_SECONDS = 300;

/** What /recommend reads: a JSON object (the engine itself says what is wrong with its content). */
export const RecommendBody = z.record(z.string(), z.unknown());

/**
 * POST /recommend. `readBody` reads and checks the request body (its caller's limits; it throws an
 * AppError for a body it refuses); the answer's `audit.latency_ms` counts the reading too.
 */
export async function recommendAnswer(
  readBody: (schema: typeof RecommendBody) => Promise<Record<string, unknown>>,
): Promise<Response> {
  const started = performance.now();
  const answer = recommend(await readBody(RecommendBody), { now: new Date() });
  answer.response.audit.latency_ms = Math.round(performance.now() - started);
  return Response.json(answer, { headers: { "Cache-Control": `max-age=${MAX_AGE_SECONDS}` } });
}

/** GET /health: always ok (the engine is code in the process that serves it). */
export function healthAnswer(): Response {
  return Response.json(referenceHealth(new Date()));
}

/** GET /version: the engine's name, version, model, feature set and policy. */
export function versionAnswer(): Response {
  return Response.json(referenceVersion());
}

const ENDPOINTS: Record<
  string,
  { method: "GET" | "POST"; answer: (request: Request) => Promise<Response> | Response }
> = {
  [`${REFERENCE_BASE_PATH}/recommend`]: {
    method: "POST",
    answer: (request) => recommendAnswer((schema) => readJson(request, schema, env().MAX_BODY_BYTES)),
  },
  [`${REFERENCE_BASE_PATH}/health`]: { method: "GET", answer: () => healthAnswer() },
  [`${REFERENCE_BASE_PATH}/version`]: { method: "GET", answer: () => versionAnswer() },
};

/**
 * The whole answer to `request` for a server that serves only the engine: the endpoint by path
 * and method (404, 405 with `Allow` otherwise), then what the API wrapper adds to the app's routes:
 * a refused body or any failure as problem+json, `Cache-Control: no-store` unless the answer says
 * otherwise, the request's X-Request-Id. Not the wrapper's rate limits or principal: the app's
 * routes are public, and this server is reachable from its own host only.
 */
export async function answerReferenceRequest(request: Request): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  const pathname = new URL(request.url).pathname;
  let response: Response;
  try {
    const endpoint = ENDPOINTS[pathname];
    if (!endpoint) throw new AppError("not_found", `${pathname} is not an endpoint of the reference engine`);
    if (request.method !== endpoint.method) {
      throw new AppError(
        "method_not_allowed",
        `${pathname} does not answer ${request.method}; it answers ${endpoint.method}`,
        { headers: { Allow: endpoint.method } },
      );
    }
    response = await endpoint.answer(request);
  } catch (error) {
    const { appError, unexpected } = toAppError(error);
    if (unexpected)
      logger.error("request failed", { request_id: requestId, endpoint: `${request.method} ${pathname}`, error });
    response = problemResponse(appError, requestId, pathname);
  }
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Request-Id", requestId);
  return response;
}
