import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const SHARED = "../shared/contract/examples";

describe("vendored contract examples", () => {
  it.each(["enterprise-request.json", "simple-request.json", "biocore-response.json"])(
    "%s matches the contract's copy",
    (name) => {
      if (!existsSync(`${SHARED}/${name}`)) return; // the repository alone: nothing to compare with
      expect(readFileSync(`lib/mass/examples/${name}`, "utf8")).toBe(readFileSync(`${SHARED}/${name}`, "utf8"));
    },
  );
});
