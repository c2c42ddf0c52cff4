// The OpenAPI document is served to signed-in callers, and what the API really answers matches
// what the document says: each answer is parsed with the operation's documented schema, and no
// top-level field is undocumented.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ProblemSchema } from "@/lib/openapi/common";
import { OPERATIONS, openApiDocument } from "@/lib/openapi/document";
import { adminToken, call, expectProblem, TEST_PASSWORD, userWithRole } from "../support/http";

const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};
const simple = JSON.parse(readFileSync("lib/mass/examples/simple-request.json", "utf8")) as Record<string, unknown>;

/** Parses the answer with the documented schema of `method path` for its status; returns the body. */
async function conforms(method: string, path: string, res: Response): Promise<Record<string, unknown>> {
  const spec = OPERATIONS.find((o) => o.method === method.toLowerCase() && o.path === path);
  expect(spec, `${method} ${path} is documented`).toBeDefined();
  const text = await res.text();
  if (res.status >= 400) {
    const problem = ProblemSchema.parse(JSON.parse(text));
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    return problem;
  }
  expect(res.status, `${method} ${path}: ${text.slice(0, 300)}`).toBe(spec!.ok.status);
  const schema = spec!.ok.schema as z.ZodObject | undefined;
  if (!schema) return {};
  const body = JSON.parse(text) as Record<string, unknown>;
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, `${method} ${path} matches its documented schema`).toEqual([]);
  expect(
    Object.keys(body).filter((k) => !(k in schema.shape)),
    `${method} ${path} has no undocumented field`,
  ).toEqual([]);
  return body;
}

describe("OpenAPI", () => {
  let admin: string;
  let analyst: { email: string; token: string };
  beforeAll(async () => {
    admin = await adminToken();
    analyst = await userWithRole("analyst");
  });

  it("serves the generated document to signed-in callers only", async () => {
    const anonymous = await call("/api/v1/openapi.json");
    expect(anonymous.status).toBe(401);
    expectProblem(anonymous);
    const res = await call("/api/v1/openapi.json", { token: analyst.token });
    expect(res.status).toBe(200);
    const served = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(served.openapi).toBe("3.1.0");
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(openApiDocument().paths ?? {}).sort());
  });

  it("answers what it documents, on success and on error", async () => {
    const suffix = randomBytes(6).toString("hex");
    await conforms("GET", "/api/health", await call("/api/health"));
    await conforms("GET", "/api/ready", await call("/api/ready"));
    await conforms(
      "POST",
      "/api/v1/auth/token",
      await call("/api/v1/auth/token", { body: { email: analyst.email, password: TEST_PASSWORD } }),
    );
    await conforms("GET", "/api/v1/me", await call("/api/v1/me", { token: analyst.token }));

    const doc = structuredClone(example);
    doc.request.idempotency_key = `idem-doc-${suffix}`;
    doc.request.request_id = `req-doc-${suffix}`;
    const accepted = await conforms(
      "POST",
      "/api/v1/mass/generate",
      await call("/api/v1/mass/generate", { token: analyst.token, body: doc }),
    );
    const id = accepted.id as string;
    const ask = (body: unknown) => call("/api/v1/recommendations/ask", { token: analyst.token, body });
    const asked = await conforms(
      "POST",
      "/api/v1/recommendations/ask",
      await ask({
        tenant_id: "acme-cloud",
        site_id: "mad1",
        cluster_id: "c07",
        from: "2026-11-20T00:00:00Z",
        to: "2026-11-21T00:00:00Z",
      }),
    );
    expect(asked.status).toBe("pending");
    expect((await conforms("POST", "/api/v1/recommendations/ask", await ask({}))).status).toBe(422);
    expect(
      (
        await conforms(
          "POST",
          "/api/v1/recommendations/ask",
          await ask({ site_id: `none-${suffix}`, from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z" }),
        )
      ).status,
    ).toBe(404);
    await conforms(
      "POST",
      "/api/v1/mass",
      await call("/api/v1/mass", {
        token: analyst.token,
        body: simple,
        headers: { "Idempotency-Key": `simple-doc-${suffix}` },
      }),
    );
    await conforms(
      "POST",
      "/api/v1/mass/validate",
      await call("/api/v1/mass/validate", { token: analyst.token, body: doc }),
    );
    const batch = [
      {
        idempotency_key: `batch-doc-${suffix}`,
        payload: { site_id: "mad1", timestamp_utc: "2026-11-20T14:00:00Z", it_load_kw: 1 },
      },
      { idempotency_key: "x" },
    ];
    const batched = await conforms(
      "POST",
      "/api/v1/mass/batch",
      await call("/api/v1/mass/batch", { token: analyst.token, body: batch }),
    );
    expect((batched.items as { status: string }[]).map((i) => i.status)).toEqual(["created", "invalid"]);
    const refused = await conforms(
      "POST",
      "/api/v1/mass/batch",
      await call("/api/v1/mass/batch", { token: analyst.token, body: [{ idempotency_key: "x" }] }),
    );
    expect(refused.status).toBe(422);
    await conforms("GET", "/api/v1/mass", await call("/api/v1/mass?limit=5", { token: analyst.token }));
    await conforms("GET", "/api/v1/mass/{id}", await call(`/api/v1/mass/${id}`, { token: analyst.token }));
    await conforms(
      "PATCH",
      "/api/v1/mass/{id}/status",
      await call(`/api/v1/mass/${id}/status`, {
        method: "PATCH",
        token: analyst.token,
        body: { status: "processing" },
      }),
    );
    await conforms(
      "GET",
      "/api/v1/mass/{id}/events",
      await call(`/api/v1/mass/${id}/events`, { token: analyst.token }),
    );

    const invalid = await conforms(
      "POST",
      "/api/v1/mass/generate",
      await call("/api/v1/mass/generate", { token: analyst.token, body: { schema_version: "1.1" } }),
    );
    expect(invalid.status).toBe(422);
    const conflict = await conforms(
      "PATCH",
      "/api/v1/mass/{id}/status",
      await call(`/api/v1/mass/${id}/status`, { method: "PATCH", token: analyst.token, body: { status: "pending" } }),
    );
    expect(conflict.status).toBe(409);

    await conforms("GET", "/api/v1/audit", await call("/api/v1/audit?limit=3", { token: admin }));
    await conforms("GET", "/api/v1/audit/verify", await call("/api/v1/audit/verify", { token: admin }));
    await conforms("GET", "/api/v1/users", await call("/api/v1/users", { token: admin }));
    await conforms("GET", "/api/v1/tokens", await call("/api/v1/tokens", { token: admin }));
    const created = await conforms(
      "POST",
      "/api/v1/tokens",
      await call("/api/v1/tokens", { token: admin, body: { name: `doc ${suffix}`, role: "viewer" } }),
    );
    await conforms(
      "DELETE",
      "/api/v1/tokens/{id}",
      await call(`/api/v1/tokens/${created.id as string}`, { method: "DELETE", token: admin }),
    );
    const user = await conforms(
      "POST",
      "/api/v1/users",
      await call("/api/v1/users", {
        token: admin,
        body: { email: `doc-${suffix}@example.com`, password: TEST_PASSWORD, role: "viewer" },
      }),
    );
    await conforms(
      "PATCH",
      "/api/v1/users/{id}",
      await call(`/api/v1/users/${user.id as string}`, { method: "PATCH", token: admin, body: { role: "analyst" } }),
    );
    await conforms("DELETE", "/api/v1/mass/{id}", await call(`/api/v1/mass/${id}`, { method: "DELETE", token: admin }));
  });
});
