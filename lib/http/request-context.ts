import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";

/** Where an operation came from; built by the API wrapper or a server action. */
export type RequestContext = {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
// Set by scripts/start.ts from the socket address, overwriting anything the client sent.
export const CLIENT_IP_HEADER = "x-pib-client-ip";

export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The client address behind `hops` trusted proxies that each append the address they saw to
 * X-Forwarded-For: the entry `hops` places from the right. Entries further left were sent by the
 * client and prove nothing. With fewer entries than hops (the request skipped an outer proxy), the
 * leftmost present one, the address the first proxy on the way saw. With 0 hops or no header: the
 * socket's address.
 */
export function clientIpOf(headers: Headers, hops: number): string | null {
  if (hops > 0) {
    const entries = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const chosen = entries.length >= hops ? entries[entries.length - hops] : entries[0];
    if (chosen) return chosen.slice(0, 64);
  }
  return headers.get(CLIENT_IP_HEADER)?.slice(0, 64) ?? null;
}

export function requestContextOf(headers: Headers, requestId = requestIdOf(headers)): RequestContext {
  return { requestId, ip: clientIpOf(headers, env().TRUST_PROXY), userAgent: headers.get("user-agent") };
}
