// CORS for /api/* only, and only for origins listed in CORS_ORIGINS.
export const CORS_ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
export const CORS_ALLOWED_HEADERS =
  "Authorization, Content-Type, Idempotency-Key, X-Request-Id, traceparent, tracestate";
export const CORS_EXPOSED_HEADERS = "X-Request-Id, RateLimit, RateLimit-Policy, Retry-After, Location";

export function corsHeaders(origin: string | null, allowed: string[]): Record<string, string> | null {
  if (!origin || !allowed.includes(origin)) return null;
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": CORS_EXPOSED_HEADERS,
    Vary: "Origin",
  };
}

export function preflightHeaders(origin: string | null, allowed: string[]): Record<string, string> | null {
  const base = corsHeaders(origin, allowed);
  if (!base) return null;
  return {
    ...base,
    "Access-Control-Allow-Methods": CORS_ALLOWED_METHODS,
    "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS,
    "Access-Control-Max-Age": "600",
  };
}
