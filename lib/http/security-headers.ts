// The headers every answer carries, in one place: next.config.ts sets them on what Next.js serves,
// and scripts/serve.ts on what it answers itself before Next.js (refused methods), so neither can
// drift from the other. Plain data, no imports: serve.ts loads it outside the Next.js build.

export type HeaderPair = { key: string; value: string };

/** HSTS only in production: a development server on plain http://localhost must not pin HTTPS. */
export function securityHeaders(production: boolean): HeaderPair[] {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    {
      key: "Permissions-Policy",
      value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
    ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
  ];
}

/** The CSP of every API answer (pages get a nonce CSP from proxy.ts): nothing may load or frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
