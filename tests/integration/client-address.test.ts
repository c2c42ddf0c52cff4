// Behind proxies that append to X-Forwarded-For, everything left of the entry the nearest proxy
// added is whatever the client sent. The test server runs with TRUST_PROXY=true (one hop), so the
// rightmost entry is the client and a spoofed prefix must not buy a fresh rate-limit bucket.
import { describe, expect, it } from "vitest";
import { baseUrl, freshIp } from "../support/http";

async function remaining(forwardedFor: string): Promise<number> {
  const res = await fetch(`${baseUrl()}/api/biocore-reference/version`, {
    headers: { "X-Forwarded-For": forwardedFor },
  });
  expect(res.status).toBe(200);
  const field = res.headers.get("ratelimit") ?? "";
  const match = /^"api_ip";r=(\d+);t=\d+$/.exec(field);
  if (!match) throw new Error(`no api_ip RateLimit field: ${field}`);
  return Number(match[1]);
}

describe("client address behind a proxy", () => {
  it("takes the entry the proxy appended, so spoofed entries before it share one rate-limit bucket", async () => {
    const real = freshIp();
    const first = await remaining(`${freshIp()}, ${real}`);
    const second = await remaining(`${freshIp()}, ${real}`);
    expect(second).toBe(first - 1);
  });
});
