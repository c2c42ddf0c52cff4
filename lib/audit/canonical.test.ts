import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const rotated = entries.slice(seed % (entries.length || 1)).concat(entries.slice(0, seed % (entries.length || 1)));
    return Object.fromEntries(rotated.reverse().map(([k, v]) => [k, shuffleKeys(v, seed)]));
  }
  return value;
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it("serializes dates, bigints and non-finite numbers predictably", () => {
    expect(canonicalJson({ at: new Date("2026-01-02T03:04:05.678Z"), n: 10n, x: Number.NaN })).toBe(
      '{"at":"2026-01-02T03:04:05.678Z","n":"10","x":null}',
    );
  });

  it("does not depend on key order and survives a JSON round trip (as through jsonb)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(10), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(text);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
      }),
    );
  });
});
