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
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
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

  it("gives, byte for byte, what the first (entries-based) version gave: stored hashes depend on it", () => {
    const reference = (value: unknown): string => {
      if (value === null || value === undefined) return "null";
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (typeof value === "bigint") return JSON.stringify(value.toString());
      if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
      if (typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
      }
      if (typeof value === "number" && !Number.isFinite(value)) return "null";
      return JSON.stringify(value);
    };
    const keys = fc.oneof(fc.string(), fc.constantFrom("10", "9", "0", "__proto__", "é", "\u{1F600}", "a b"));
    const leaf = fc.oneof(
      fc.jsonValue(),
      fc.date({ noInvalidDate: true }),
      fc.bigInt(),
      fc.double(),
      fc.constant(undefined),
      fc.constant(-0),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node")), fc.dictionary(keys, tie("node"))),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 400, seed: 190 },
    );
  });
});
