// What a saved view keeps of a URL: the known filter keys only.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SaveViewInput, sanitizeViewParams, VIEW_FILTER_KEYS, viewHref } from "./params";

describe("sanitizeViewParams", () => {
  it("keeps the filter keys and drops everything else", () => {
    expect(
      sanitizeViewParams(
        "?range=last_6h&refresh=60&site_id=mad1&page=3&sort=pue&desc=true&callbackUrl=%2F%2Fevil.example&zone_id=",
      ),
    ).toEqual({ range: "last_6h", refresh: "60", site_id: "mad1" });
  });

  it("keeps the first value of a repeated key, trimmed, and drops over-long values", () => {
    expect(sanitizeViewParams(`site_id=%20a%20&site_id=b&cluster_id=${"x".repeat(101)}`)).toEqual({ site_id: "a" });
  });

  it("writes the keys in one order whatever the URL's order", () => {
    expect(Object.keys(sanitizeViewParams("source=mass&to=2026-01-02&from=2026-01-01&period=custom"))).toEqual([
      "period",
      "from",
      "to",
      "source",
    ]);
  });

  it("never keeps a key that is not a filter", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 })), async (given) => {
        const kept = sanitizeViewParams(new URLSearchParams(given).toString());
        for (const key of Object.keys(kept)) expect(VIEW_FILTER_KEYS).toContain(key);
        for (const [key, value] of Object.entries(kept)) expect(value).toBe(given[key]!.trim());
      }),
    );
  });

  it("opens a view at its page with its filters", () => {
    expect(viewHref({ path: "/observations", params: { range: "today", site_id: "a b" } })).toBe(
      "/observations?range=today&site_id=a+b",
    );
    expect(viewHref({ path: "/", params: {} })).toBe("/");
  });
});

describe("SaveViewInput", () => {
  it("accepts only the pages with a filter bar, and a name", () => {
    const r = SaveViewInput.safeParse({ name: " ", path: "//evil.example/" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "name: a view needs a name",
      "path: must be one of /, /observations",
    ]);
  });
});
