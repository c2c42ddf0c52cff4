import { describe, expect, it } from "vitest";
import { QueryRedactingSpanProcessor, redactQuery, redactQueryValues } from "./span-redaction";

describe("query values in spans", () => {
  it("keeps the path, the names and the fragment, and replaces every value", () => {
    expect(redactQueryValues("/api/v1/me?access_token=abc.def&password=hunter2")).toBe(
      "/api/v1/me?access_token=[redacted]&password=[redacted]",
    );
    expect(redactQueryValues("http://h:3000/x?a=1&flag&empty=#frag=1")).toBe(
      "http://h:3000/x?a=[redacted]&flag&empty=#frag=1",
    );
    expect(redactQueryValues("/no/query")).toBe("/no/query");
    expect(redactQuery("token=x%20y&b=2")).toBe("token=[redacted]&b=[redacted]");
  });

  it("rewrites a span's URL attributes at start and at end, and nothing else", () => {
    const p = new QueryRedactingSpanProcessor();
    const span = {
      attributes: {
        "http.target": "/a?token=s3cret",
        "url.query": "password=x",
        "http.method": "GET",
        "url.full": "http://h/b?k=v",
      } as Record<string, unknown>,
    };
    p.onStart(span, {} as never);
    expect(span.attributes).toEqual({
      "http.target": "/a?token=[redacted]",
      "url.query": "password=[redacted]",
      "http.method": "GET",
      "url.full": "http://h/b?k=[redacted]",
    });
    span.attributes["http.url"] = "http://h/c?api_key=k";
    p.onEnd(span);
    expect(span.attributes["http.url"]).toBe("http://h/c?api_key=[redacted]");
  });
});
