// The pure parts of the client: Cache-Control, Retry-After, full-jitter backoff, traceparent.
import { describe, expect, it } from "vitest";
import { fullJitterDelayMs } from "./backoff";
import { parseCacheControl } from "./cache-control";
import { parseRetryAfter } from "./retry-after";
import { isValidTraceparent, traceHeaders } from "./traceparent";

describe("parseCacheControl", () => {
  it.each([
    [null, { noStore: false, maxAgeSeconds: 0 }],
    ["", { noStore: false, maxAgeSeconds: 0 }],
    ["max-age=60", { noStore: false, maxAgeSeconds: 60 }],
    ["public, MAX-AGE=120", { noStore: false, maxAgeSeconds: 120 }],
    ['max-age="30"', { noStore: false, maxAgeSeconds: 30 }],
    ["no-store", { noStore: true, maxAgeSeconds: 0 }],
    ["no-store, max-age=60", { noStore: true, maxAgeSeconds: 60 }],
    ["no-cache, max-age=60", { noStore: false, maxAgeSeconds: 0 }],
    ["max-age=-5", { noStore: false, maxAgeSeconds: 0 }],
    ["max-age=abc", { noStore: false, maxAgeSeconds: 0 }],
    ["max-age=99999999999", { noStore: false, maxAgeSeconds: 2 ** 31 }],
  ])("%s → %o", (header, expected) => {
    expect(parseCacheControl(header)).toEqual(expected);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-20T14:00:00Z");
  it.each([
    [null, undefined],
    ["1", 1000],
    [" 120 ", 120_000],
    ["0", 0],
    ["Fri, 20 Nov 2026 14:00:05 GMT", 5000],
    ["Fri, 20 Nov 2026 13:59:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
  ])("%s → %s ms", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe("fullJitterDelayMs", () => {
  const settings = { initialMs: 100, maxMs: 1000 };
  it.each([
    [1, 0.5, 50],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [5, 0.5, 500],
    [10, 0.999, 999],
    [1, 0, 0],
  ])("retry %i with random %d waits %i ms", (retry, r, expected) => {
    expect(fullJitterDelayMs(retry, settings, () => r)).toBe(expected);
  });

  it("stays within [0, min(max, base·2^n))", () => {
    for (let retry = 1; retry <= 8; retry++) {
      for (let i = 0; i < 50; i++) {
        const delay = fullJitterDelayMs(retry, settings, Math.random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(1000, 100 * 2 ** (retry - 1)));
      }
    }
  });
});

describe("traceparent", () => {
  it.each([
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true],
    ["00-00000000000000000000000000000000-00f067aa0ba902b7-01", false],
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false],
    ["ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false],
    ["00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false],
    ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nx: y", false],
  ])("%s valid: %s", (value, valid) => {
    expect(isValidTraceparent(value)).toBe(valid);
  });

  it("normalizes an explicit value and sends nothing without a trace", () => {
    expect(traceHeaders(" 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01 ")).toEqual({
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    expect(traceHeaders("garbage")).toEqual({});
    expect(traceHeaders()).toEqual({});
  });
});
