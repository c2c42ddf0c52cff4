// The API routes the code base serves, read from the route files: method, path and the permission
// the route checks (`withApi("…")`), or "public".
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export type DeclaredRoute = { method: string; path: string; file: string; auth: string | null };

function routeFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) routeFiles(path, out);
    else if (entry === "route.ts") out.push(path);
  }
  return out;
}

/** Paths as in the file tree (`/api/v1/mass/[id]`), except the excluded ones. */
export function declaredRoutes(exclude: ReadonlySet<string> = new Set(["/api/auth/[...nextauth]"])): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const file of routeFiles("app/api")) {
    const path = `/${relative("app", file).replace(/\/route\.ts$/, "")}`;
    if (exclude.has(path)) continue;
    const source = readFileSync(file, "utf8");
    const exports =
      /export (?:const (GET|POST|PUT|PATCH|DELETE) = (?:withApi(?:<[^>]*>)?\(\s*"([\w.]+)"|(withPublicApi))|(?:async )?function (GET|POST|PUT|PATCH|DELETE)\b)/g;
    for (const m of source.matchAll(exports)) {
      routes.push({ method: (m[1] ?? m[4])!, path, file, auth: m[2] ?? (m[3] || m[4] ? "public" : null) });
    }
  }
  return routes.sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
}
