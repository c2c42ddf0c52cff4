// The generated OpenAPI document describes exactly the routes the app serves, with the permission
// each route really checks, every error it can answer, and no dangling reference.
import { describe, expect, it } from "vitest";
import { OPERATIONS, openApiDocument } from "@/lib/openapi/document";
import { declaredRoutes } from "../support/routes";

type Doc = ReturnType<typeof openApiDocument>;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function documented(doc: Doc) {
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, item]) =>
      METHODS.filter((m) => item && m in item).map((m) => {
        const op = (
          item as Record<string, { "x-permission"?: string; responses: Record<string, unknown>; security?: unknown[] }>
        )[m]!;
        return { key: `${m.toUpperCase()} ${path}`, op };
      }),
    )
    .sort((a, b) => a.key.localeCompare(b.key));
}

describe("OpenAPI document", () => {
  const doc = openApiDocument();

  it("is OpenAPI 3.1 with a bearer security scheme applied by default", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it("lists exactly the routes the app serves", () => {
    const served = declaredRoutes().map((r) => `${r.method} ${r.path.replace(/\[(\w+)\]/g, "{$1}")}`);
    expect(documented(doc).map((d) => d.key)).toEqual([...served].sort((a, b) => a.localeCompare(b)));
  });

  it("names the permission each route really checks", () => {
    const byKey = new Map(documented(doc).map((d) => [d.key, d.op["x-permission"]]));
    for (const route of declaredRoutes()) {
      expect(route.auth, `${route.method} ${route.path} has a recognisable wrapper`).not.toBeNull();
      expect(
        byKey.get(`${route.method} ${route.path.replace(/\[(\w+)\]/g, "{$1}")}`),
        `${route.method} ${route.path}`,
      ).toBe(route.auth);
    }
  });

  it("documents the errors every operation can answer", () => {
    for (const { key, op } of documented(doc)) {
      const statuses = Object.keys(op.responses);
      expect(statuses, key).toEqual(expect.arrayContaining(["429", "500", "503"]));
      if (op["x-permission"] === "public") expect(op.security, key).toEqual([]);
      else expect(statuses, key).toEqual(expect.arrayContaining(["401", "403"]));
      const spec = OPERATIONS.find((o) => `${o.method.toUpperCase()} ${o.path}` === key)!;
      if (spec.body) expect(statuses, key).toEqual(expect.arrayContaining(["400", "413", "415", "422"]));
      if (spec.path_params) expect(statuses, key).toContain("404");
      expect(
        statuses.filter((s) => s.startsWith("2")),
        key,
      ).toEqual([String(spec.ok.status)]);
    }
  });

  it("has no dangling $ref and an example for every ingest body", () => {
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components?.schemas, ref).toHaveProperty(ref);
    const generate = doc.paths?.["/api/v1/mass/generate"]?.post?.requestBody as {
      content: Record<string, { example?: unknown }>;
    };
    expect(generate.content["application/json"]!.example).toMatchObject({ schema_version: "1.1" });
  });
});
