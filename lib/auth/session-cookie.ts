import { secureCookiesEnabled } from "@/lib/env";

/** `__Host-` when Secure (no Domain, Path=/), so a sibling subdomain cannot plant the cookie. */
export function sessionCookieName(): string {
  return secureCookiesEnabled() ? "__Host-pib.session" : "pib.session";
}
