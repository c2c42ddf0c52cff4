import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./json-depth";
import { unstorableText } from "./unstorable-text";

describe("JSON nesting depth", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(nestsDeeperThan('{"a":[[1]]}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":[[[1]]]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, 64)).toBe(true);
  });
});

describe("text PostgreSQL cannot store", () => {
  it("names NUL characters and lone surrogates in strings and keys, and accepts paired surrogates", () => {
    const value = JSON.parse(
      '{"a":"x\\u0000","b":["ok","\\ud800"],"\\udfff":1,"emoji":"\\ud83d\\ude00","c":{"d":"e\\u0301"}}',
    ) as unknown;
    expect(unstorableText(value)).toHaveLength(3);
    expect(unstorableText(value)).toEqual(
      expect.arrayContaining([
        { pointer: "/a", code: "nul_character", message: "must not contain the NUL character" },
        { pointer: "/b/1", code: "lone_surrogate", message: expect.stringContaining("well-formed Unicode") },
        { pointer: "/\udfff", code: "lone_surrogate", message: expect.stringContaining("well-formed Unicode") },
      ]),
    );
  });

  it("walks deep values without recursion and stops at the limit", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(unstorableText(deep)).toEqual([
      expect.objectContaining({ code: "nul_character", pointer: "/0".repeat(50_000) }),
    ]);
    expect(
      unstorableText(
        Array.from({ length: 100 }, () => "\u0000"),
        20,
      ),
    ).toHaveLength(20);
  });
});
