import { describe, expect, it } from "vitest";
import { corsHeaders, preflightHeaders } from "./cors";
import { pageCsp } from "./csp";

describe("CORS", () => {
  it("allows only listed origins", () => {
    expect(corsHeaders("https://a.example", ["https://a.example"])?.["Access-Control-Allow-Origin"]).toBe(
      "https://a.example",
    );
    expect(corsHeaders("https://b.example", ["https://a.example"])).toBeNull();
    expect(corsHeaders(null, ["https://a.example"])).toBeNull();
    expect(preflightHeaders("https://a.example", [])).toBeNull();
  });
});

describe("page CSP", () => {
  it("uses the nonce, forbids framing and allows eval only in development", () => {
    const prod = pageCsp("abc", { dev: false, https: true });
    expect(prod).toContain("'nonce-abc'");
    expect(prod).toContain("frame-ancestors 'none'");
    expect(prod).toContain("upgrade-insecure-requests");
    expect(prod).not.toContain("unsafe-eval");
    expect(pageCsp("abc", { dev: true, https: false })).toContain("'unsafe-eval'");
  });
});
