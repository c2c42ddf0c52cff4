import { describe, expect, it } from "vitest";
import { allowed, can, PERMISSIONS, type Action } from "./permissions";

describe("permissions table", () => {
  it("gives admin every action", () => {
    for (const action of Object.keys(PERMISSIONS) as Action[]) expect(can("admin", action)).toBe(true);
  });

  it.each<[Action, boolean, boolean]>([
    ["mass.ingest", true, false],
    ["mv.write", true, false],
    ["export.create", true, false],
    ["recommendation.acknowledge", true, false],
    ["dashboard.read", true, true],
    ["audit.read", false, false],
    ["user.manage", false, false],
    ["token.manage", false, false],
    ["mass.delete", false, false],
  ])("%s: analyst %s, viewer %s", (action, analyst, viewer) => {
    expect(can("analyst", action)).toBe(analyst);
    expect(can("viewer", action)).toBe(viewer);
  });

  it("keeps installation-wide actions from tenant-scoped admins", () => {
    expect(allowed({ role: "admin", tenantIds: ["t1"] }, "user.manage")).toBe(false);
    expect(allowed({ role: "admin", tenantIds: ["t1"] }, "audit.read")).toBe(true);
    expect(allowed({ role: "admin", tenantIds: [] }, "user.manage")).toBe(true);
  });
});
