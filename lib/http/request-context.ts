import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/audit/types";
import { env } from "@/lib/env";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
// Set by scripts/start.ts from the socket address, overwriting anything the client sent.
export const CLIENT_IP_HEADER = "x-pib-client-ip";

export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The client address: X-Forwarded-For's first hop only behind a trusted proxy (TRUST_PROXY). */
export function clientIpOf(headers: Headers): string | null {
  if (env().TRUST_PROXY) {
    const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return headers.get(CLIENT_IP_HEADER)?.slice(0, 64) ?? null;
}

export function requestContextOf(headers: Headers, requestId = requestIdOf(headers)): RequestContext {
  return { requestId, ip: clientIpOf(headers), userAgent: headers.get("user-agent") };
}
