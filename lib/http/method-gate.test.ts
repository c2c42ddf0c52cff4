import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMethodGate, refusedMethod, routeTemplate } from "./method-gate";
import { exportedMethods, renderManifest, routePathOf, scanPages, scanRoutes } from "./route-scan";

describe("route scan", () => {
  it("reads every form of exported method", () => {
    expect(
      exportedMethods(
        'export const GET = withApi("x", h);\nexport async function POST() {}\nexport function DELETE() {}',
      ),
    ).toEqual(["GET", "POST", "DELETE"]);
    expect(exportedMethods("export { handler as GET, handler as POST };")).toEqual(["GET", "POST"]);
    expect(
      exportedMethods('export const dynamic = "force-dynamic";\nconst PUT = 1;\nexport const GETTER = 2;'),
    ).toEqual([]);
  });

  it("maps a file to its URL pattern without route groups", () => {
    expect(routePathOf("api/v1/mass/[id]/route.ts")).toBe("/api/v1/mass/[id]");
    expect(routePathOf("(dashboard)/x/route.ts")).toBe("/x");
  });

  // CI fails here when a route, a method or a page was added without `npm run routes:manifest`.
  it("the committed manifest matches app/**/route.ts and app/**/page.tsx", () => {
    expect(readFileSync("lib/http/route-methods.generated.ts", "utf8")).toBe(
      renderManifest(scanRoutes("app"), scanPages("app")),
    );
  });

  it("finds the pages, route groups left out", () => {
    const pages = scanPages("app");
    expect(pages).toContain("/");
    expect(pages).toContain("/login");
    expect(pages).toContain("/requests/[id]");
    expect(pages.some((p) => p.includes("("))).toBe(false);
  });
});

describe("method gate", () => {
  const gate = createMethodGate([
    { path: "/api/v1/mass", methods: ["GET", "POST"] },
    { path: "/api/v1/mass/[id]", methods: ["GET", "DELETE"] },
    { path: "/api/v1/mass/generate", methods: ["POST"] },
    { path: "/api/v1/tokens/[id]", methods: ["DELETE"] },
    { path: "/api/auth/[...nextauth]", methods: ["GET", "POST"] },
  ]);

  it("lets through what a route exports, HEAD with GET, and OPTIONS", () => {
    for (const m of ["GET", "HEAD", "POST", "OPTIONS"]) expect(gate(m, "/api/v1/mass")).toBeNull();
    expect(gate("DELETE", "/api/v1/mass/0b0c")).toBeNull();
    expect(gate("DELETE", "/api/v1/mass/0b0c/")).toBeNull();
  });

  it("refuses the rest with the route's methods", () => {
    expect(gate("PUT", "/api/v1/mass")).toEqual({ allow: ["GET", "HEAD", "OPTIONS", "POST"] });
    expect(gate("HEAD", "/api/v1/tokens/x")).toEqual({ allow: ["DELETE", "OPTIONS"] });
    expect(gate("PATCH", "/api/v1/mass/0b0c")).toEqual({ allow: ["DELETE", "GET", "HEAD", "OPTIONS"] });
  });

  it("prefers a static segment over a dynamic one", () => {
    expect(gate("GET", "/api/v1/mass/generate")).toEqual({ allow: ["OPTIONS", "POST"] });
    expect(gate("POST", "/api/v1/mass/generate")).toBeNull();
  });

  it("matches catch-all segments", () => {
    expect(gate("POST", "/api/auth/callback/credentials")).toBeNull();
    expect(gate("DELETE", "/api/auth/session")).toEqual({ allow: ["GET", "HEAD", "OPTIONS", "POST"] });
  });

  it("lets pages answer GET, HEAD and POST (server actions) and nothing else", () => {
    for (const m of ["GET", "HEAD", "POST"]) expect(gate(m, "/admin/tokens")).toBeNull();
    for (const m of ["PUT", "DELETE", "OPTIONS"])
      expect(gate(m, "/admin/tokens")).toEqual({ allow: ["GET", "HEAD", "POST"] });
  });

  it("always refuses TRACE, TRACK, CONNECT and unknown methods", () => {
    for (const m of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "get"]) {
      for (const path of ["/api/v1/mass", "/api/v1/mass/1", "/", "/login", "/api/v1/no-such-route"])
        expect(gate(m, path), `${m} ${path}`).not.toBeNull();
    }
  });

  it("is built from the committed manifest", () => {
    expect(refusedMethod("GET", "/api/v1/me")).toBeNull();
    expect(refusedMethod("TRACE", "/api/v1/me")).toEqual({ allow: ["GET", "HEAD", "OPTIONS"] });
    expect(refusedMethod("DELETE", "/api/v1/datasets/x/versions/1")).toEqual({ allow: ["GET", "HEAD", "OPTIONS"] });
  });

  it("labels metrics by route template, never by what the client sent", () => {
    expect(routeTemplate("/api/v1/mass/5b1c0f2e-0000-4000-8000-000000000000/events")).toBe("/api/v1/mass/:id/events");
    // Not an id at all: before, only UUID and numeric segments were folded, so each such path was a new series.
    expect(routeTemplate("/api/v1/mass/anything-at-all/events")).toBe("/api/v1/mass/:id/events");
    expect(routeTemplate("/api/v1/mass/%F0%9F%92%A5/events")).toBe("/api/v1/mass/:id/events");
    expect(routeTemplate("/api/v1/datasets/x/versions/12")).toBe("/api/v1/datasets/:id/versions/:version");
    expect(routeTemplate("/api/auth/callback/credentials")).toBe("/api/auth/*");
    expect(routeTemplate("/api/v1/mass/generate")).toBe("/api/v1/mass/generate");
    expect(routeTemplate("/api/v1/no-such-route/123")).toBe("(unmatched)");
  });

  it("labels pages by their pattern and Next.js's files by one label each", () => {
    expect(routeTemplate("/")).toBe("/");
    expect(routeTemplate("/login")).toBe("/login");
    expect(routeTemplate("/requests/5b1c0f2e-0000-4000-8000-000000000000")).toBe("/requests/:id");
    expect(routeTemplate("/requests/anything/else")).toBe("(unmatched)");
    expect(routeTemplate("/datasets/x/versions/3")).toBe("/datasets/:id/versions/:version");
    expect(routeTemplate("/docs")).toBe("/docs");
    expect(routeTemplate("/docs/assets/swagger-ui.css")).toBe("/docs/assets/:file");
    expect(routeTemplate("/_next/static/chunks/0a1b2c3d.js")).toBe("/_next/static/*");
    expect(routeTemplate("/_next/static/media/inter-latin.woff2")).toBe("/_next/static/*");
    expect(routeTemplate("/_next/image")).toBe("/_next/*");
    expect(routeTemplate("/favicon.ico")).toBe("(unmatched)");
    expect(routeTemplate("/no-such-page")).toBe("(unmatched)");
    expect(routeTemplate("/wp-login.php")).toBe("(unmatched)");
  });
});
