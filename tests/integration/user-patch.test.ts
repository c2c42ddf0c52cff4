// A change to a user touches exactly the fields it names (security issue, item 1): a password reset,
// role change or disable/enable once wrote `tenant_ids: []` through a schema default, turning a
// tenant-limited user into an all-tenants one. Checked over the API, against the stored row.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, call, expectProblem, userWithRole } from "../support/http";
import { storedUser } from "../support/stored-user";

const RUNS = Number(process.env.PATCH_RUNS ?? 14);

describe("PATCH /api/v1/users/{id}", () => {
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(() => db.connect());
  afterAll(() => db.end());

  const stored = (id: string) => storedUser(db, id);

  it("keeps a tenant limit through a password reset, role change, disable and enable", async () => {
    const user = await userWithRole("analyst", ["t-north", "t-south"]);
    const admin = await adminToken();
    for (const body of [
      { password: "another-long-password-9" },
      { role: "viewer" },
      { disabled: true },
      { disabled: false },
    ]) {
      const res = await call(`/api/v1/users/${user.id}`, { method: "PATCH", token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(((await res.json()) as { tenant_ids: string[] }).tenant_ids).toEqual(["t-north", "t-south"]);
      expect((await stored(user.id)).tenant_ids).toEqual(["t-north", "t-south"]);
    }
  });

  it("refuses an empty body (and one with only unknown fields) as nothing to change, changing nothing", async () => {
    const user = await userWithRole("viewer", ["t-east"]);
    const before = await stored(user.id);
    for (const body of [{}, { tenantIds: [] }]) {
      const res = await call(`/api/v1/users/${user.id}`, { method: "PATCH", token: await adminToken(), body });
      expect(res.status).toBe(422);
      expectProblem(res);
      expect(await res.text()).toContain("nothing to change");
    }
    expect(await stored(user.id)).toEqual(before);
  });

  it("changes exactly the fields a PATCH names (property, fixed seed)", async () => {
    const user = await userWithRole("viewer", ["t-a"]);
    const admin = await adminToken();
    const tenantIds = fc.uniqueArray(fc.constantFrom("t-a", "t-b", "t-c", "t-d"), { maxLength: 3 });
    const patch = fc.record(
      {
        role: fc.constantFrom("admin", "analyst", "viewer"),
        tenant_ids: tenantIds,
        disabled: fc.boolean(),
        password: fc.constantFrom("first-long-password-1", "second-long-password-2"),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(patch, async (body) => {
        const before = await stored(user.id);
        const res = await call(`/api/v1/users/${user.id}`, { method: "PATCH", token: admin, body });
        const after = await stored(user.id);
        if (Object.keys(body).length === 0) {
          expect(res.status).toBe(422);
          expect(after).toEqual(before);
          return;
        }
        expect(res.status, await res.clone().text()).toBe(200);
        expect(after.role).toBe(body.role ?? before.role);
        expect(after.tenant_ids).toEqual(body.tenant_ids ?? before.tenant_ids);
        expect(after.disabled).toBe(body.disabled ?? before.disabled);
        if (body.password === undefined) expect(after.password_hash).toBe(before.password_hash);
        else expect(after.password_hash).not.toBe(before.password_hash);
      }),
      { numRuns: RUNS },
    );
  });
});
