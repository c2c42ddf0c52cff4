import { describe, expect, it } from "vitest";
import { adminToken, apiTokenWithRole, call, expectProblem, forgetAdminToken, userWithRole } from "../support/http";

describe("API wrapper", () => {
  it("answers malformed JSON with a 400 problem carrying the request id", async () => {
    const res = await call("/api/v1/users", {
      token: await adminToken(),
      body: "{not json",
      headers: { "X-Request-Id": "req-test-0001" },
    });
    expect(res.status).toBe(400);
    expectProblem(res);
    const body = (await res.json()) as {
      request_id: string;
      type: string;
      title: string;
      status: number;
      detail: string;
    };
    expect(body.request_id).toBe("req-test-0001");
    expect(res.headers.get("x-request-id")).toBe("req-test-0001");
    expect(body.status).toBe(400);
    expect(body.detail).not.toMatch(/Unexpected token|SyntaxError|at /);
  });

  it("refuses a body over the limit with 413", async () => {
    const res = await call("/api/v1/users", {
      token: await adminToken(),
      body: JSON.stringify({ pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expectProblem(res);
  });

  it("refuses a non-JSON content type with 415", async () => {
    const res = await call("/api/v1/users", {
      token: await adminToken(),
      body: "email=a",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expectProblem(res);
  });

  it("names every problem of an invalid body", async () => {
    const res = await call("/api/v1/users", {
      token: await adminToken(),
      body: { email: "not-an-email", password: "short", role: "root", tenant_ids: ["ok", "bad tenant!"] },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { pointer: string }[] };
    expect(body.errors.map((e) => e.pointer).sort()).toEqual(["/email", "/password", "/role", "/tenant_ids/1"]);
  });

  it("answers a duplicate user with 409 and an unknown user with 404", async () => {
    const token = await adminToken();
    const email = `dup-${Date.now()}@pilot.test`;
    const body = { email, password: "a-long-enough-password", role: "viewer" };
    expect((await call("/api/v1/users", { token, body })).status).toBe(201);
    const dup = await call("/api/v1/users", { token, body });
    expect(dup.status).toBe(409);
    expectProblem(dup);
    expect((await call("/api/v1/users/not-a-uuid", { method: "PATCH", token, body: { role: "viewer" } })).status).toBe(
      404,
    );
  });

  it("keeps the last active admin from being demoted", async () => {
    const token = await adminToken();
    const me = (await (await call("/api/v1/me", { token })).json()) as { id: string };
    // Other files' fixtures may hold admins (the files share one server): disable them for the
    // test, so this admin is the last active one, and restore them afterwards.
    const users = (
      (await (await call("/api/v1/users", { token })).json()) as {
        items: { id: string; role: string; disabled: boolean }[];
      }
    ).items;
    const others = users.filter((u) => u.role === "admin" && !u.disabled && u.id !== me.id);
    for (const u of others)
      expect((await call(`/api/v1/users/${u.id}`, { method: "PATCH", token, body: { disabled: true } })).status).toBe(
        200,
      );
    try {
      const res = await call(`/api/v1/users/${me.id}`, { method: "PATCH", token, body: { role: "viewer" } });
      expect(res.status).toBe(409);
      expectProblem(res);
      expect((await call(`/api/v1/users/${me.id}`, { method: "PATCH", token, body: { disabled: true } })).status).toBe(
        409,
      );
      expect((await call("/api/v1/me", { token })).status).toBe(200);
    } finally {
      for (const u of others)
        await call(`/api/v1/users/${u.id}`, { method: "PATCH", token, body: { disabled: false } });
    }
  });

  it("counts only active admins without a tenant limit, and lets one of two concurrent demotions through", async () => {
    const me = (await (await call("/api/v1/me", { token: await adminToken() })).json()) as { id: string };
    // The caller is an admin API token: not a user, so not one of the admins counted, and not ended
    // when the first admin is demoted.
    const { secret } = await apiTokenWithRole("admin");
    const patch = (id: string, body: object) => call(`/api/v1/users/${id}`, { method: "PATCH", token: secret, body });
    const second = await userWithRole("admin");
    // A tenant-limited admin cannot manage users or tokens: it must not count as a remaining admin.
    const scoped = await userWithRole("admin", ["t-last-admin"]);
    const users = (
      (await (await call("/api/v1/users", { token: secret })).json()) as {
        items: { id: string; role: string; disabled: boolean }[];
      }
    ).items;
    // Other files' fixtures may hold admins (the files share one server): disable them for the test.
    const others = users.filter(
      (u) => u.role === "admin" && !u.disabled && ![me.id, second.id, scoped.id].includes(u.id),
    );
    for (const u of others) expect((await patch(u.id, { disabled: true })).status).toBe(200);
    try {
      expect((await patch(second.id, { disabled: true })).status).toBe(200);
      for (const body of [{ role: "viewer" }, { disabled: true }, { tenant_ids: ["t-last-admin"] }]) {
        const res = await patch(me.id, body);
        expect(res.status, JSON.stringify(body)).toBe(409);
        expectProblem(res);
      }
      expect((await patch(second.id, { disabled: false })).status).toBe(200);

      // The last two unscoped admins demoted at once: each request alone is allowed, both are not.
      for (let round = 0; round < 3; round++) {
        const [a, b] = await Promise.all([patch(me.id, { role: "viewer" }), patch(second.id, { role: "viewer" })]);
        expect([a.status, b.status].sort(), `round ${round}`).toEqual([200, 409]);
        expectProblem(a.status === 409 ? a : b);
        const demoted = a.status === 200 ? me.id : second.id;
        expect((await patch(demoted, { role: "admin" })).status).toBe(200);
      }
    } finally {
      for (const id of [me.id, second.id]) await patch(id, { role: "admin", disabled: false });
      for (const u of others) await patch(u.id, { disabled: false });
      // Any change to the first admin ends its JWTs.
      forgetAdminToken();
    }
  });

  it("serves liveness without the database and readiness with it", async () => {
    const health = await call("/api/health");
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe("ok");
    const ready = await call("/api/ready");
    expect(ready.status).toBe(200);
  });
});
