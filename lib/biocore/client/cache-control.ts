// The part of Cache-Control (RFC 9111 §5.2.2) that BioCore uses on its answers.
export interface CachePolicy {
  /** Never store, never serve (not even stale). */
  noStore: boolean;
  /** Seconds the answer is fresh; 0 when absent, `no-cache` or unparseable (kept as stale fallback only). */
  maxAgeSeconds: number;
}

const MAX_AGE = /^max-age\s*=\s*"?(\d+)"?$/i;

export function parseCacheControl(header: string | null): CachePolicy {
  const policy: CachePolicy = { noStore: false, maxAgeSeconds: 0 };
  if (!header) return policy;
  let noCache = false;
  for (const raw of header.split(",")) {
    const directive = raw.trim();
    const lower = directive.toLowerCase();
    if (lower === "no-store") policy.noStore = true;
    else if (lower === "no-cache" || lower.startsWith("no-cache=")) noCache = true;
    else {
      const match = MAX_AGE.exec(directive);
      // RFC 9111 §1.2.2: a delta-seconds beyond 2^31 is treated as 2^31.
      if (match?.[1]) policy.maxAgeSeconds = Math.min(Number(match[1]), 2 ** 31);
    }
  }
  if (noCache) policy.maxAgeSeconds = 0;
  return policy;
}
