// The one wrapper every API route goes through: request id, client address, rate limits,
// principal and role check, body parsing, problem+json errors, the MASS counters, and who asked
// for the access line (written with the latency sample by scripts/serve.ts for every request:
// lib/observability/access-log.ts).
import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { firstValues } from "@/lib/audit/audit-filter";
import { allowed, can, type Action } from "@/lib/access/permissions";
import type { Principal } from "@/lib/access/principal";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { recordAuditAlone } from "@/lib/audit/record-audit";
import { actorOf, type RequestContext } from "@/lib/audit/types";
import { env } from "@/lib/env";
import { noteAccess } from "@/lib/observability/access-log";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { AppError } from "@/lib/http/app-error";
import { toAppError } from "@/lib/http/map-error";
import { problemResponse, zodToAppError } from "@/lib/http/problem";
import { consume } from "@/lib/http/rate-limit";
import { readJson } from "@/lib/http/read-body";
import { requestContextOf, requestIdOf } from "@/lib/http/request-context";
import { isCrossSite } from "@/lib/http/same-site";
import { unstorableTextError } from "@/lib/http/unstorable-text";

type RouteContext<P> = { params: Promise<P> };

export type ApiContext<P, Auth extends Principal | null> = {
  request: NextRequest;
  params: P;
  principal: Auth;
  requestId: string;
  context: RequestContext;
  json: <S extends z.ZodType>(schema: S) => Promise<z.infer<S>>;
  query: <S extends z.ZodType>(schema: S) => z.infer<S>;
};

type Handler<P, Auth extends Principal | null> = (ctx: ApiContext<P, Auth>) => Promise<Response>;

export type ApiOptions = {
  /**
   * Refuse the session cookie on a cross-site request, also for GET: for routes whose GET has an
   * effect (exports write an audit event), which a link on another site must not trigger.
   */
  sameSiteSession?: boolean;
};

/** A route that needs a principal allowed to perform `action`. */
export function withApi<P = Record<string, never>>(
  action: Action,
  handler: Handler<P, Principal>,
  options: ApiOptions = {},
) {
  return wrap<P, Principal>(action, handler, options);
}

/** A route anyone may call (still rate-limited per address). */
export function withPublicApi<P = Record<string, never>>(handler: Handler<P, Principal | null>) {
  return wrap<P, Principal | null>(null, handler);
}

function wrap<P, Auth extends Principal | null>(
  action: Action | null,
  handler: Handler<P, Auth>,
  options: ApiOptions = {},
) {
  return async (request: NextRequest, route: RouteContext<P>): Promise<Response> => {
    const requestId = requestIdOf(request.headers);
    const context = requestContextOf(request.headers, requestId);
    const endpoint = `${request.method} ${request.nextUrl.pathname}`;
    let principal: Principal | null = null;
    let response: Response;
    let failure: AppError | null = null;
    try {
      const ipLimit = await consume("api_ip", context.ip ?? "unknown");
      principal = await resolvePrincipal(request);
      // Before the role check and the handler: a refused request leaves no audit event.
      if (options.sameSiteSession && principal?.via === "session" && isCrossSite(request.headers)) {
        throw new AppError(
          "forbidden",
          "A cross-site request may not export with the session cookie; open the export from this site or send a Bearer token",
        );
      }
      if (action) await authorize(action, principal, context, endpoint);
      const principalLimit = principal ? await consume("api_principal", `${principal.kind}:${principal.id}`) : null;
      const params = (await route.params) ?? ({} as P);
      response = await handler({
        request,
        params,
        principal: principal as Auth,
        requestId,
        context,
        json: (schema) => readJson(request, schema, env().MAX_BODY_BYTES),
        query: (schema) => {
          const values = firstValues(request.nextUrl.searchParams);
          const unstorable = unstorableTextError(values, "query");
          if (unstorable) throw unstorable;
          const parsed = schema.safeParse(values);
          if (!parsed.success) throw zodToAppError(parsed.error, "query");
          return parsed.data;
        },
      });
      for (const [k, v] of Object.entries((principalLimit ?? ipLimit).headers)) response.headers.set(k, v);
    } catch (error) {
      const { appError, unexpected } = toAppError(error);
      failure = appError;
      if (unexpected) logger.error("request failed", { request_id: requestId, endpoint, error });
      response = problemResponse(appError, requestId, request.nextUrl.pathname);
    }
    if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
    response.headers.set("X-Request-Id", requestId);
    countMass(request.method, request.nextUrl.pathname, response, failure);
    noteAccess({ userId: principal ? `${principal.kind}:${principal.id}` : null });
    return response;
  };
}

const INGEST_PATHS = new Set(["/api/v1/mass", "/api/v1/mass/generate"]);

function countMass(method: string, pathname: string, response: Response, failure: AppError | null): void {
  const m = metrics();
  if (method !== "POST" || !INGEST_PATHS.has(pathname)) return;
  if (response.headers.get("Idempotent-Replayed") === "true") m.massReplays.inc();
  else if (response.status === 201) m.massRequests.inc({ result: "accepted", layer: "" });
  else if (
    failure &&
    failure.status < 500 &&
    failure.status !== 401 &&
    failure.status !== 403 &&
    failure.status !== 429
  ) {
    const layer =
      failure.errors?.find((e) => e.layer)?.layer ??
      (failure.status === 413 ? "size" : failure.status === 409 ? "idempotency" : "structural");
    m.massRequests.inc({ result: "rejected", layer });
  }
}

async function authorize(action: Action, principal: Principal | null, context: RequestContext, endpoint: string) {
  if (!principal) throw new AppError("unauthenticated", "Authentication is required");
  if (allowed(principal, action)) return;
  await recordAuditAlone({
    actor: actorOf(principal),
    action: "access.denied",
    result: "denied",
    inputs: { endpoint, needed: action, role: principal.role },
    context,
  });
  throw new AppError(
    "forbidden",
    principal.tenantIds.length > 0 && can(principal.role, action)
      ? `${action} needs a principal not limited to tenants`
      : `Your role (${principal.role}) may not perform ${action}`,
  );
}
