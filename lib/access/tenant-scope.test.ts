import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/app-error";
import { assertTenantAccess, canAccessTenant, scopeTenantFilter, tenantWhere, tenantWhereFor } from "./tenant-scope";

describe("tenant scope", () => {
  it("filters nothing for an unscoped principal and everything else for a scoped one", () => {
    expect(tenantWhere({ tenantIds: [] })).toEqual({});
    expect(tenantWhere({ tenantIds: ["a", "b"] })).toEqual({ tenantId: { in: ["a", "b"] } });
  });

  it("narrows to a requested tenant without ever widening the principal's scope", () => {
    expect(tenantWhereFor({ tenantIds: ["a"] }, undefined)).toEqual({ tenantId: { in: ["a"] } });
    expect(tenantWhereFor({ tenantIds: ["a"] }, "a")).toEqual({ tenantId: "a" });
    expect(tenantWhereFor({ tenantIds: ["a"] }, "b")).toEqual({ tenantId: { in: [] } });
    expect(tenantWhereFor({ tenantIds: [] }, "b")).toEqual({ tenantId: "b" });
  });

  it("checks single tenants", () => {
    expect(canAccessTenant({ tenantIds: [] }, "x")).toBe(true);
    expect(canAccessTenant({ tenantIds: ["a"] }, "x")).toBe(false);
    expect(() => assertTenantAccess({ tenantIds: ["a"] }, "x")).toThrow(AppError);
  });

  it("narrows requested filters to the principal's tenants", () => {
    expect(scopeTenantFilter({ tenantIds: [] }, undefined)).toBeUndefined();
    expect(scopeTenantFilter({ tenantIds: [] }, ["z"])).toEqual(["z"]);
    expect(scopeTenantFilter({ tenantIds: ["a", "b"] }, undefined)).toEqual(["a", "b"]);
    expect(scopeTenantFilter({ tenantIds: ["a", "b"] }, ["a"])).toEqual(["a"]);
    expect(() => scopeTenantFilter({ tenantIds: ["a"] }, ["b"])).toThrow(/tenant/);
  });
});

describe("visibleTenantFilter", () => {
  it("never widens a request and never throws", async () => {
    const { visibleTenantFilter } = await import("./tenant-scope");
    expect(visibleTenantFilter({ tenantIds: ["a"] }, ["b"])).toEqual([]);
    expect(visibleTenantFilter({ tenantIds: ["a"] }, undefined)).toEqual(["a"]);
    expect(visibleTenantFilter({ tenantIds: [] }, undefined)).toBeUndefined();
    expect(visibleTenantFilter({ tenantIds: [] }, ["z"])).toEqual(["z"]);
  });
});
