// docs/openapi.yaml documents every API route the code serves, with the same methods.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

function routes(dir = "app/api", out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) routes(path, out);
    else if (entry === "route.ts" && !path.includes("[...nextauth]")) {
      const url = `/${relative("app", path).replace(/\/route\.ts$/, "")}`.replace(/\[(\w+)\]/g, "{$1}");
      for (const m of readFileSync(path, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)) {
        out.push(`${m[1]!.toLowerCase()} ${url}`);
      }
    }
  }
  return out.sort();
}

describe("OpenAPI document", () => {
  it("lists exactly the routes the app serves", () => {
    const doc = parse(readFileSync("docs/openapi.yaml", "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).toEqual(routes());
  });
});
