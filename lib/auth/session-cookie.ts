import { useSecureCookies } from "@/lib/env";

/** `__Host-` when Secure (no Domain, Path=/), so a sibling subdomain cannot plant the cookie. */
export function sessionCookieName(): string {
  return useSecureCookies() ? "__Host-pib.session" : "pib.session";
}
