// API tokens always expire: 90 days unless asked otherwise, at most 365 (API_TOKEN_DEFAULT_DAYS,
// API_TOKEN_MAX_DAYS), and an expired token is refused.
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { adminToken, call, expectProblem } from "../support/http";

const DAY = 86_400_000;

type Token = { id: string; secret: string; expires_at: string | null };

async function create(body: Record<string, unknown>): Promise<Response> {
  return call("/api/v1/tokens", { token: await adminToken(), body: { name: "expiry test", role: "viewer", ...body } });
}

describe("API token expiry", () => {
  it("defaults to 90 days and shows the expiry in the list", async () => {
    const res = await create({});
    expect(res.status).toBe(201);
    const token = (await res.json()) as Token;
    expect(token.expires_at).not.toBeNull();
    expect(Math.abs(Date.parse(token.expires_at!) - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
    const list = (await (await call("/api/v1/tokens", { token: await adminToken() })).json()) as { items: Token[] };
    expect(list.items.find((t) => t.id === token.id)?.expires_at).toBe(token.expires_at);
    expect(list.items.every((t) => typeof t.expires_at === "string")).toBe(true);
  });

  it("accepts up to 365 days and refuses more with 422 naming the limit", async () => {
    const within = await create({ expires_at: new Date(Date.now() + 364 * DAY).toISOString() });
    expect(within.status).toBe(201);
    const over = await create({ expires_at: new Date(Date.now() + 366 * DAY).toISOString() });
    expect(over.status).toBe(422);
    expectProblem(over);
    const body = (await over.json()) as { errors: { pointer: string; detail: string }[] };
    expect(body.errors[0]?.pointer).toBe("/expires_at");
    expect(body.errors[0]?.detail).toContain("365 days");
  });

  it("refuses an expired token with 401", async () => {
    const token = (await (await create({})).json()) as Token;
    expect((await call("/api/v1/me", { token: token.secret })).status).toBe(200);
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    await db.query("update api_token set expires_at = now() - interval '1 minute' where id = $1", [token.id]);
    await db.end();
    const res = await call("/api/v1/me", { token: token.secret });
    expect(res.status).toBe(401);
    expectProblem(res);
  });

  it("stores no token without an expiry", async () => {
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    const { rows } = await db.query<{ is_nullable: string }>(
      "select is_nullable from information_schema.columns where table_name = 'api_token' and column_name = 'expires_at'",
    );
    await db.end();
    expect(rows[0]?.is_nullable).toBe("NO");
  });
});
