import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isCrossSite } from "./same-site";

const h = (init: Record<string, string>) => new Headers({ host: "pilot.example", ...init });

describe("cross-site requests", () => {
  it("follows Fetch Metadata when the browser sends it", () => {
    expect(isCrossSite(h({ "sec-fetch-site": "cross-site" }))).toBe(true);
    for (const site of ["same-origin", "same-site", "none"])
      expect(isCrossSite(h({ "sec-fetch-site": site, origin: "https://evil.example" }))).toBe(false);
  });

  it("falls back to Origin, then Referer", () => {
    expect(isCrossSite(h({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSite(h({ origin: "null" }))).toBe(true);
    expect(isCrossSite(h({ origin: "https://pilot.example" }))).toBe(false);
    expect(isCrossSite(h({ referer: "https://evil.example/x" }))).toBe(true);
    expect(isCrossSite(h({ referer: "https://pilot.example/audit" }))).toBe(false);
    expect(isCrossSite(h({}))).toBe(false);
  });

  // One export route without the option would again be triggerable by a link on another site.
  it("every export route refuses cross-site session requests", () => {
    const files = readdirSync("app/api", { recursive: true, encoding: "utf8" }).filter((f) =>
      /(?:export\.(?:csv|pdf)|report\.pdf)\/route\.ts$/.test(f),
    );
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(readFileSync(`app/api/${f}`, "utf8"), f).toContain("{ sameSiteSession: true }");
  });
});
