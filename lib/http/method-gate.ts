// Which methods the server refuses before Next.js, and what it allows instead. Next.js answers
// TRACE with a bare 500 and a method a route does not export with an empty 405 (no `Allow`, no
// problem+json); scripts/serve.ts answers both itself with a 405 problem that names what is allowed.
import { PAGE_MANIFEST, ROUTE_MANIFEST } from "./route-methods.generated";
import type { ScannedRoute } from "./route-scan";

/** Pages answer GET and HEAD; server actions POST to the page's own path. */
const PAGE_METHODS = ["GET", "HEAD", "POST"];

type Segment = { kind: "static"; value: string } | { kind: "dynamic" } | { kind: "catchAll"; optional: boolean };
type CompiledRoute = { path: string; segments: Segment[]; allow: string[] };

function segmentOf(s: string): Segment {
  if (/^\[\[\.\.\.[^\]]+\]\]$/.test(s)) return { kind: "catchAll", optional: true };
  if (/^\[\.\.\.[^\]]+\]$/.test(s)) return { kind: "catchAll", optional: false };
  if (/^\[[^\]]+\]$/.test(s)) return { kind: "dynamic" };
  return { kind: "static", value: s };
}

/** What a route answers: its exports, HEAD where it has GET (Next.js derives it), and OPTIONS (CORS
 * preflights are answered by proxy.ts, other OPTIONS by Next.js with the route's `Allow`). */
export function allowedMethods(exported: readonly string[]): string[] {
  const allow = new Set(exported);
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].sort();
}

export function compileRoutes(routes: readonly ScannedRoute[]): CompiledRoute[] {
  return routes.map((r) => ({
    path: r.path,
    segments: r.path.split("/").filter(Boolean).map(segmentOf),
    allow: allowedMethods(r.methods),
  }));
}

/** Per segment: 0 static, 1 dynamic, 2 catch-all; Next.js prefers the lowest, segment by segment. */
function rank(route: CompiledRoute, parts: string[]): number[] | null {
  const ranks: number[] = [];
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg.kind === "catchAll") {
      if (parts.length - i < (seg.optional ? 0 : 1)) return null;
      ranks.push(2);
      return ranks;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "static" && seg.value !== part) return null;
    ranks.push(seg.kind === "static" ? 0 : 1);
  }
  return route.segments.length === parts.length ? ranks : null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return b.length - a.length;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function routeFor(pathname: string, routes: CompiledRoute[]): CompiledRoute | null {
  const parts = pathname.split("/").filter(Boolean).map(decoded);
  let best: { route: CompiledRoute; ranks: number[] } | null = null;
  for (const route of routes) {
    const ranks = rank(route, parts);
    if (ranks && (!best || compare(ranks, best.ranks) < 0)) best = { route, ranks };
  }
  return best?.route ?? null;
}

export function createMethodGate(routes: readonly ScannedRoute[]) {
  const compiled = compileRoutes(routes);
  /**
   * `null` when Next.js should answer; otherwise the methods the target allows (for `Allow`).
   * Methods outside the route set (TRACE, CONNECT, TRACK, anything unknown) are always refused:
   * paths no route handles are pages, static files or the 404 page, which answer GET, HEAD, POST.
   */
  return function refusedMethod(method: string, pathname: string): { allow: string[] } | null {
    const route = routeFor(pathname, compiled);
    const allow = route ? route.allow : PAGE_METHODS;
    // Methods are case-sensitive (RFC 9110): `get` is not GET.
    return allow.includes(method) ? null : { allow };
  };
}

export const refusedMethod = createMethodGate(ROUTE_MANIFEST);

// Routes and pages never share a path (Next.js refuses the build), so one list ranks them both.
const LABELLED = compileRoutes([...ROUTE_MANIFEST, ...PAGE_MANIFEST.map((path) => ({ path, methods: [] }))]);

/** The label of Next.js's content-hashed build files (scripts, styles, fonts). */
export const STATIC_ASSET_ROUTE = "/_next/static/*";
/** The label of the rest of what Next.js serves under /_next (e.g. the image optimizer). */
const NEXT_OTHER = "/_next/*";

/**
 * The route template a path is served by, as a metric label and in access lines:
 * `/api/v1/mass/x/events` → `/api/v1/mass/:id/events` (each dynamic segment `:` + its parameter
 * name, a catch-all `*`), a page by its pattern (`/requests/:id`), Next.js's build files by one label
 * each (`/_next/static/*`, `/_next/*`), and every path nothing serves → `(unmatched)`. Labels come
 * from the route and page set, never from what a client sends, so anonymous requests cannot grow
 * the metric's series (or the distinct values of a log field) without bound.
 */
export function routeTemplate(pathname: string): string {
  if (pathname.startsWith("/_next/")) return pathname.startsWith("/_next/static/") ? STATIC_ASSET_ROUTE : NEXT_OTHER;
  const route = routeFor(pathname, LABELLED);
  if (!route) return "(unmatched)";
  return route.path.replace(/\[\[?\.\.\.[^\]]+\]\]?/g, "*").replace(/\[([^\]]+)\]/g, ":$1");
}
