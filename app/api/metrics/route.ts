// GET /api/metrics – Prometheus metrics (text format), for a bearer of METRICS_TOKEN; 404 when no token is configured
// Not behind the API wrapper: its bearer is the scraper's token, not a user's, so the wrapper's
// principal resolution would refuse it.
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { problemResponse } from "@/lib/http/problem";
import { requestIdOf } from "@/lib/http/request-context";
import { registerAuditGauges } from "@/lib/audit/gauges";
import { registerBioCoreGauges } from "@/lib/biocore/gauges";
import { registerCollectors } from "@/lib/observability/collectors";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function GET(request: Request): Promise<Response> {
  const requestId = requestIdOf(request.headers);
  const token = env().METRICS_TOKEN;
  if (!token)
    return problemResponse(
      new AppError("not_found", "Metrics are off: set METRICS_TOKEN to expose them"),
      requestId,
      "/api/metrics",
    );
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    return problemResponse(
      new AppError("unauthenticated", "A valid metrics bearer token is required", {
        headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
      }),
      requestId,
      "/api/metrics",
    );
  }
  registerCollectors();
  registerBioCoreGauges();
  registerAuditGauges();
  const registry = metrics().registry;
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store", "X-Request-Id": requestId },
  });
}
