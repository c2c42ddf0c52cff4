// Saved views against the real database (lib/views): each user sees and deletes only their own,
// at most 50 each (also when saved concurrently), names unique per user with a clear message,
// only the known filter keys stored, and every save and delete audited.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Principal } from "@/lib/access/principal";
import { userWithRole } from "../support/http";

const context = { requestId: "saved-views-test", ip: "127.0.0.1", userAgent: "vitest" };

describe("saved views", () => {
  let views: typeof import("@/lib/views/manage");
  let lib: typeof import("@/lib/db");
  let sql: pg.Client;
  let alice: Principal;
  let bob: Principal;

  const principalOf = (u: { id: string; email: string }, role: Principal["role"]): Principal => ({
    kind: "user",
    id: u.id,
    label: u.email,
    role,
    tenantIds: [],
    via: "session",
  });

  beforeAll(async () => {
    // The app's code in this process, on the suite's database.
    process.env.DATABASE_URL = inject("databaseUrl");
    views = await import("@/lib/views/manage");
    lib = await import("@/lib/db");
    sql = new pg.Client({ connectionString: inject("databaseUrl") });
    await sql.connect();
    alice = principalOf(await userWithRole("viewer"), "viewer");
    bob = principalOf(await userWithRole("analyst"), "analyst");
  });

  afterAll(async () => {
    await sql?.end();
    await lib?.db().$disconnect();
  });

  const auditOf = async (targetId: string) =>
    (
      await sql.query<{ action: string; actor_id: string; inputs: unknown }>(
        "SELECT action, actor_id, inputs FROM audit_event WHERE target_type = 'saved_view' AND target_id = $1 ORDER BY seq",
        [targetId],
      )
    ).rows;

  it("stores a view with only the filter keys, lists it for its user alone, and audits it", async () => {
    const view = await views.saveView(
      alice,
      { name: "Madrid live", path: "/", query: "range=last_6h&refresh=60&site_id=mad1&page=4&sort=pue&evil=1" },
      context,
    );
    expect(view.params).toEqual({ range: "last_6h", refresh: "60", site_id: "mad1" });
    const stored = await sql.query("SELECT user_id, name, path, params FROM saved_view WHERE id = $1", [view.id]);
    expect(stored.rows).toEqual([
      {
        user_id: alice.id,
        name: "Madrid live",
        path: "/",
        params: { range: "last_6h", refresh: "60", site_id: "mad1" },
      },
    ]);
    expect(await views.viewMenu(alice)).toEqual([
      { id: view.id, name: "Madrid live", href: "/?range=last_6h&refresh=60&site_id=mad1" },
    ]);
    expect(await views.viewsOf(bob)).toEqual([]);
    expect(await auditOf(view.id)).toEqual([
      {
        action: "view.create",
        actor_id: alice.id,
        inputs: { name: "Madrid live", path: "/", params: { range: "last_6h", refresh: "60", site_id: "mad1" } },
      },
    ]);
  });

  it("never deletes another user's view, and says it has none with that id", async () => {
    const view = await views.saveView(alice, { name: "mine", path: "/observations", query: "" }, context);
    await expect(views.removeView(bob, view.id, context)).rejects.toMatchObject({
      code: "not_found",
      message: "You have no saved view with this id",
    });
    expect((await sql.query("SELECT 1 FROM saved_view WHERE id = $1", [view.id])).rowCount).toBe(1);
    expect((await auditOf(view.id)).map((e) => e.action)).toEqual(["view.create"]);

    const removed = await views.removeView(alice, view.id, context);
    expect(removed.name).toBe("mine");
    expect((await sql.query("SELECT 1 FROM saved_view WHERE id = $1", [view.id])).rowCount).toBe(0);
    expect((await auditOf(view.id)).map((e) => [e.action, e.actor_id])).toEqual([
      ["view.create", alice.id],
      ["view.delete", alice.id],
    ]);
  });

  it("refuses a second view of the same name for one user, but not for another", async () => {
    await views.saveView(alice, { name: "Shift A", path: "/", query: "range=today" }, context);
    await expect(
      views.saveView(alice, { name: "Shift A", path: "/", query: "range=yesterday" }, context),
    ).rejects.toMatchObject({
      code: "conflict",
      message: 'you already have a view named "Shift A"',
      errors: [{ pointer: "/name", code: "duplicate" }],
    });
    await expect(views.saveView(bob, { name: "Shift A", path: "/", query: "" }, context)).resolves.toMatchObject({
      name: "Shift A",
    });
  });

  it("keeps at most 50 views per user, also when they are saved at once", async () => {
    const carol = principalOf(await userWithRole("viewer"), "viewer");
    const results = await Promise.allSettled(
      Array.from({ length: 56 }, (_, i) => views.saveView(carol, { name: `view ${i}`, path: "/", query: "" }, context)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(50);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(6);
    for (const r of refused)
      expect(r.reason).toMatchObject({
        code: "conflict",
        message: "you have 50 saved views, the most one user may keep; delete one first",
      });
    expect(
      (await sql.query("SELECT count(*)::int AS n FROM saved_view WHERE user_id = $1", [carol.id])).rows[0].n,
    ).toBe(50);
    // Another user's limit is their own.
    await expect(views.saveView(bob, { name: "still room", path: "/", query: "" }, context)).resolves.toBeTruthy();
  });

  it("refuses a page without a filter bar, an empty name, and an API token", async () => {
    await expect(
      views.saveView(alice, { name: " ", path: "//evil.example", query: "" }, context),
    ).rejects.toMatchObject({
      name: "ZodError",
    });
    const token: Principal = {
      kind: "api_token",
      id: alice.id,
      label: "t",
      role: "admin",
      tenantIds: [],
      via: "api_token",
    };
    await expect(views.saveView(token, { name: "x", path: "/", query: "" }, context)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await views.viewsOf(token)).toEqual([]);
  });
});
