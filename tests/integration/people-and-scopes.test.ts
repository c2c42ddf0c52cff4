// People by name: the lookup behind every "created by" and the audit trail resolves users and API
// tokens of the principal's tenants in one query, never one of another tenant; the audit CSV carries
// the names beside the recorded ids. Scopes from the data: the distinct site / cluster combinations
// of a tenant's stored data, and the server's refusal of one that is not there.
import { randomBytes } from "node:crypto";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, apiTokenWithRole, baseUrl, call, freshIp, userWithRole } from "../support/http";

const suffix = randomBytes(3).toString("hex");
const tenantA = `people-a-${suffix}`;
const tenantB = `people-b-${suffix}`;

async function upload(token: string, tenant: string, name: string, csv: string): Promise<void> {
  const res = await fetch(`${baseUrl()}/api/v1/datasets?${new URLSearchParams({ name, tenant_id: tenant })}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv", "X-Forwarded-For": freshIp() },
    body: csv,
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

describe("people and scopes", () => {
  let names: typeof import("@/lib/users/actor-names");
  let scopes: typeof import("@/lib/mv/scope-choices");
  let lib: typeof import("@/lib/db");
  let a: { email: string; id: string; token: string };
  let b: { email: string; id: string; token: string };
  let tokenA: { id: string };

  beforeAll(async () => {
    a = await userWithRole("analyst", [tenantA]);
    b = await userWithRole("analyst", [tenantB]);
    tokenA = await apiTokenWithRole("viewer", [tenantA]);
    const rows = (site: string, cluster: string) =>
      [0, 1, 2, 3].map((h) => `2026-01-01T0${h}:00:00Z,${site},${cluster},${100 + h}`).join("\n");
    await upload(
      a.token,
      tenantA,
      "scopes",
      `timestamp_utc,site_id,cluster_id,it_load_kw\n${rows("mad1", "c01")}\n${rows("mad1", "c02")}\n${rows("lon1", "c03")}\n`,
    );
    await upload(b.token, tenantB, "scopes", `timestamp_utc,site_id,cluster_id,it_load_kw\n${rows("par1", "c09")}\n`);
    process.env.DATABASE_URL = inject("databaseUrl");
    names = await import("@/lib/users/actor-names");
    scopes = await import("@/lib/mv/scope-choices");
    lib = await import("@/lib/db");
  }, 120_000);

  afterAll(async () => {
    await lib?.db().$disconnect();
  });

  it("resolves users and tokens of the principal's tenants, never another tenant's, unknown ids kept", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const refs = [
      { type: "user", id: a.id },
      { type: "user", id: b.id },
      { type: "api_token", id: tokenA.id },
      { type: "user", id: unknown },
      { type: "system", id: "pilot-in-a-box" },
    ];
    const scoped = await names.actorNames({ tenantIds: [tenantA] }, refs);
    expect(Object.fromEntries(scoped)).toEqual({
      [`user:${a.id}`]: a.email,
      [`api_token:${tokenA.id}`]: "token test viewer",
    });
    const everyTenant = await names.actorNames({ tenantIds: [] }, refs);
    expect(everyTenant.get(`user:${b.id}`)).toBe(b.email);
    // A page's namer: a found actor by name, anything else as it was recorded.
    const name = await names.actorNamer({ tenantIds: [tenantA] }, [`user:${a.id}`, `user:${b.id}`]);
    expect(name(`user:${a.id}`)).toBe(a.email);
    expect(name(`user:${b.id}`)).toBe(`user:${b.id}`);
  });

  it("puts actor_name and target_name beside the recorded ids in the audit CSV", async () => {
    const res = await call(`/api/v1/audit/export.csv?${new URLSearchParams({ target_id: a.id })}`, {
      token: await adminToken(),
    });
    expect(res.status).toBe(200);
    const rows = Papa.parse<Record<string, string>>((await res.text()).replace(/^\uFEFF/, "").trim(), {
      header: true,
    }).data;
    const created = rows.find((r) => r.action === "user.create")!;
    expect(created.target_id).toBe(a.id);
    expect(created.target_name).toBe(a.email);
    expect(created.actor_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.actor_name).toMatch(/@/);
  });

  it("lists the distinct scopes of the tenant's data, tenant-scoped", async () => {
    const ofA = await scopes.scopeChoices({ tenantIds: [tenantA] });
    expect(ofA.map((s) => `${s.tenantId}/${s.siteId}/${s.clusterId}`)).toEqual([
      `${tenantA}/lon1/c03`,
      `${tenantA}/mad1/c01`,
      `${tenantA}/mad1/c02`,
    ]);
    expect(await scopes.scopeChoices({ tenantIds: [tenantA] }, tenantB)).toEqual([]);
    const ofB = await scopes.scopeChoices({ tenantIds: [] }, tenantB);
    expect(ofB.map((s) => s.siteId)).toEqual(["par1"]);
  });

  it("refuses a scope the data does not hold, naming the field once", async () => {
    await expect(
      scopes.assertScopeInData({ tenantIds: [tenantA] }, tenantA, { siteId: "mad1", clusterId: "c02" }),
    ).resolves.toBeUndefined();
    const refused = await scopes
      .assertScopeInData({ tenantIds: [tenantA] }, tenantA, { siteId: "mad1", clusterId: "c03" })
      .catch((e: unknown) => e as { status: number; errors: { pointer: string; detail: string }[] });
    expect(refused).toMatchObject({ status: 422, errors: [{ pointer: "/cluster_id" }] });
    const otherTenant = await scopes
      .assertScopeInData({ tenantIds: [tenantA] }, tenantA, { siteId: "par1" })
      .catch((e: unknown) => e as { errors: { pointer: string }[] });
    expect(otherTenant).toMatchObject({ errors: [{ pointer: "/site_id" }] });
  });
});
