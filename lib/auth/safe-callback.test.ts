import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

describe("safeCallbackPath", () => {
  // The values a `callbackUrl` query parameter can carry once decoded (the page reads it decoded).
  const hostile: unknown[] = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/%5Cevil.example".replace("%5C", "\\"),
    decodeURIComponent("/%09/evil.example"),
    decodeURIComponent("/%5C%5Cevil.example"),
    "/./\\evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "https://evil.example",
    "http://pib.invalid@evil.example",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
    undefined,
    null,
    42,
    ["/audit"],
    { toString: () => "/audit" },
  ];

  it.each(hostile.map((v) => [JSON.stringify(v) ?? String(v), v]))("sends %s to /", (_name, value) => {
    expect(safeCallbackPath(value)).toBe("/");
  });

  it("keeps same-site paths with their query and fragment", () => {
    expect(safeCallbackPath("/audit")).toBe("/audit");
    expect(safeCallbackPath("/audit?action=auth.&page=2#top")).toBe("/audit?action=auth.&page=2#top");
    expect(safeCallbackPath("/mv/studies/123")).toBe("/mv/studies/123");
    expect(safeCallbackPath("/")).toBe("/");
  });

  it("keeps encoded characters encoded, so the path stays on this site", () => {
    // Still encoded: `%5C` is a path character here, not a separator.
    expect(safeCallbackPath("/%5Cevil.example")).toBe("/%5Cevil.example");
    expect(safeCallbackPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("never returns a value a browser reads as another host", () => {
    for (const value of hostile) {
      const out = safeCallbackPath(value);
      expect(new URL(out, "https://app.example").origin).toBe("https://app.example");
      expect(out.startsWith("//") || out.startsWith("/\\")).toBe(false);
    }
  });
});
