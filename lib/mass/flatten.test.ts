import { describe, expect, it } from "vitest";
import { changedPointers, flattenJson } from "./flatten";

describe("flattenJson", () => {
  it("lists leaves by JSON Pointer", () => {
    expect(flattenJson({ a: { "b/c": [1, "x"] }, e: {} })).toEqual([
      { pointer: "/a/b~1c/0", value: "1" },
      { pointer: "/a/b~1c/1", value: '"x"' },
      { pointer: "/e", value: "{}" },
    ]);
  });

  it("finds changed, added and removed values", () => {
    const raw = flattenJson({ site: " mad1 ", kept: 1, gone: true });
    const norm = flattenJson({ site: "mad1", kept: 1, added: 2 });
    expect([...changedPointers(raw, norm)].sort()).toEqual(["/added", "/gone", "/site"]);
  });
});
