import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIpOf } from "./request-context";

const headersOf = (forwardedFor: string | null): Headers => {
  const h = new Headers({ [CLIENT_IP_HEADER]: "192.0.2.1" });
  if (forwardedFor !== null) h.set("x-forwarded-for", forwardedFor);
  return h;
};

describe("clientIpOf", () => {
  it("behind one appending proxy takes the rightmost entry, not the spoofed ones before it", () => {
    expect(clientIpOf(headersOf("evil, 198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientIpOf(headersOf("203.0.113.9,198.51.100.7"), 1)).toBe("198.51.100.7");
    expect(clientIpOf(headersOf("198.51.100.7"), 1)).toBe("198.51.100.7");
  });

  it("behind two proxies takes the entry the outer one appended", () => {
    expect(clientIpOf(headersOf("evil, 198.51.100.7, 10.0.0.2"), 2)).toBe("198.51.100.7");
  });

  it("with 0 hops ignores X-Forwarded-For and uses the socket's address", () => {
    expect(clientIpOf(headersOf("evil, 198.51.100.7"), 0)).toBe("192.0.2.1");
  });

  it("with fewer entries than hops takes the leftmost present", () => {
    expect(clientIpOf(headersOf("198.51.100.7"), 2)).toBe("198.51.100.7");
    expect(clientIpOf(headersOf("198.51.100.7, 10.0.0.2"), 3)).toBe("198.51.100.7");
  });

  it("falls back to the socket's address when the header is missing or empty", () => {
    expect(clientIpOf(headersOf(null), 1)).toBe("192.0.2.1");
    expect(clientIpOf(headersOf(" , "), 1)).toBe("192.0.2.1");
    expect(clientIpOf(new Headers(), 1)).toBeNull();
  });
});
