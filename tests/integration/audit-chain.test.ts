import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminToken, call } from "../support/http";

describe("audit trail is append-only and tamper-evident", () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  async function verify(): Promise<{
    ok: boolean;
    checked: number;
    unsealed: number;
    first_broken: { seq: string; id: string; reason: string } | null;
  }> {
    return (await (await call("/api/v1/audit/verify", { token: await adminToken() })).json()) as never;
  }

  it("refuses UPDATE, DELETE and TRUNCATE on audit_event", async () => {
    await verify();
    const first = "(select min(seq) from audit_event)";
    await expect(client.query(`update audit_event set action = 'x' where seq = ${first}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(client.query(`update audit_event set hash = repeat('0', 64) where seq = ${first}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(client.query(`delete from audit_event where seq = ${first}`)).rejects.toThrow(/append-only/);
    await expect(client.query("truncate audit_event")).rejects.toThrow(/append-only/);
  });

  it("refuses any change to an unsealed event other than sealing it", async () => {
    await client.query("begin");
    try {
      const { rows } = await client.query<{ seq: string }>(
        `insert into audit_event (id, occurred_at, actor_type, action, result, app_version)
         values (gen_random_uuid(), now(), 'system', 'test.unsealed', 'ok', 'test') returning seq::text`,
      );
      const seq = rows[0]!.seq;
      await client.query("savepoint s");
      await expect(
        client.query(
          `update audit_event set action = 'forged', hash = repeat('a', 64), prev_hash = repeat('b', 64), chain_pos = -1 where seq = ${seq}`,
        ),
      ).rejects.toThrow(/append-only/);
    } finally {
      await client.query("rollback");
    }
  });

  it("links new events into the chain in the background within seconds", async () => {
    await call("/api/v1/auth/token", { body: { email: "sealer@pilot.test", password: "wrong-password" } });
    let hash: string | null = null;
    for (let i = 0; i < 30 && !hash; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await client.query<{ hash: string | null }>(
        "select hash from audit_event where action = 'auth.login_failed' and actor_label = 'sealer@pilot.test'",
      );
      hash = rows[0]?.hash ?? null;
    }
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("names the altered event when a row is changed behind the triggers' back", async () => {
    // Make sure there are a few events after the one we alter.
    const token = await adminToken();
    for (let i = 0; i < 3; i++)
      await call("/api/v1/auth/token", { body: { email: "nobody@pilot.test", password: `wrong-${i}` } });
    await verify();
    const { rows } = await client.query<{ seq: string; id: string; action: string }>(
      "select seq::text, id, action from audit_event where chain_pos is not null order by chain_pos offset 1 limit 1",
    );
    const target = rows[0]!;
    await client.query("alter table audit_event disable trigger user");
    try {
      await client.query("update audit_event set action = 'auth.login' where seq = $1", [target.seq]);
      const res = await call("/api/v1/audit/verify", { token });
      const body = (await res.json()) as { ok: boolean; first_broken: { seq: string; id: string; reason: string } };
      expect(body.ok).toBe(false);
      expect(body.first_broken).toMatchObject({ seq: target.seq, id: target.id, reason: "hash_mismatch" });
    } finally {
      await client.query("update audit_event set action = $1 where seq = $2", [target.action, target.seq]);
      await client.query("alter table audit_event enable trigger user");
    }
    const after = (await (await call("/api/v1/audit/verify", { token })).json()) as { ok: boolean };
    expect(after.ok).toBe(true);
  });

  it("detects a deleted event in the middle of the chain as a gap in chain positions", async () => {
    const token = await adminToken();
    await verify();
    const { rows } = await client.query(
      "select * from audit_event where chain_pos is not null order by chain_pos offset 1 limit 1",
    );
    const row = rows[0] as Record<string, unknown>;
    await client.query("alter table audit_event disable trigger user");
    try {
      await client.query("delete from audit_event where seq = $1", [row.seq]);
      const body = (await (await call("/api/v1/audit/verify", { token })).json()) as {
        ok: boolean;
        first_broken: { reason: string; seq: string };
      };
      expect(body.ok).toBe(false);
      // The next event's position skips the deleted one's (it was "link_mismatch" before gaps were named).
      expect(body.first_broken.reason).toBe("gap");
      expect(BigInt(body.first_broken.seq)).toBeGreaterThan(BigInt(String(row.seq)));
    } finally {
      const columns = Object.keys(row);
      await client.query(
        `insert into audit_event (${columns.map((c) => `"${c}"`).join(",")}) values (${columns.map((_, i) => `$${i + 1}`).join(",")})`,
        columns.map((c) => row[c]),
      );
      await client.query("alter table audit_event enable trigger user");
    }
    expect(((await (await call("/api/v1/audit/verify", { token })).json()) as { ok: boolean }).ok).toBe(true);
  });

  it("never forks the chain under concurrent appends", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("/api/v1/auth/token", { body: { email: `race-${i}@pilot.test`, password: "wrong-password" } }),
      ),
    );
    const result = await verify();
    expect(result.ok).toBe(true);
    const { rows } = await client.query<{ forks: string; max: string; sealed: string }>(
      `select (select count(*) from (select prev_hash from audit_event where prev_hash is not null group by prev_hash having count(*) > 1) d)::text as forks,
              (select max(chain_pos) from audit_event)::text as max,
              (select count(*) from audit_event where chain_pos is not null)::text as sealed`,
    );
    expect(rows[0]!.forks).toBe("0");
    // Positions 1..n with no gap or repeat.
    expect(rows[0]!.max).toBe(rows[0]!.sealed);
  });

  it("verifies and exports after waiting its turn behind a sealer that holds the chain longer than 5 s", async () => {
    // Another sealer (a replica, a long verification) holds the sealing lock for 6.5 s; verify and
    // the CSV export both seal first, so they wait — and must answer 200 afterwards, not 503 (the
    // default limits of Prisma's interactive transactions, 5 s, answered 503 under a loaded CI).
    await call("/api/v1/auth/token", { body: { email: "waiting@pilot.test", password: "wrong-password" } });
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select pg_advisory_xact_lock(7400130001)");
      const token = await adminToken();
      const started = Date.now();
      const answers = Promise.all([
        call("/api/v1/audit/verify", { token }),
        call("/api/v1/audit/export.csv", { token }),
      ]);
      await new Promise((r) => setTimeout(r, 6_500));
      await holder.query("commit");
      const [verified, exported] = await answers;
      expect(Date.now() - started).toBeGreaterThanOrEqual(6_500);
      expect(verified.status, await verified.clone().text()).toBe(200);
      expect(((await verified.json()) as { ok: boolean; unsealed: number }).ok).toBe(true);
      expect(exported.status, await exported.clone().text()).toBe(200);
      expect(await exported.text()).toContain("waiting@pilot.test");
    } finally {
      await holder.end();
    }
  }, 30_000);

  it("is verified by `npm run audit:verify`, which names a broken event and exits non-zero", async () => {
    const run = () =>
      spawnSync("npm", ["run", "--silent", "audit:verify"], {
        env: { ...process.env, DATABASE_URL: inject("databaseUrl"), AUDIT_HMAC_KEY: inject("auditKey") },
        encoding: "utf8",
      });
    const intact = run();
    expect(intact.status, intact.stderr).toBe(0);
    expect((JSON.parse(intact.stdout) as { ok: boolean }).ok).toBe(true);
    const { rows } = await client.query<{ seq: string; result: string }>(
      "select seq::text, result from audit_event where chain_pos is not null order by chain_pos desc limit 1",
    );
    const target = rows[0]!;
    await client.query("alter table audit_event disable trigger user");
    try {
      await client.query("update audit_event set result = 'tampered' where seq = $1", [target.seq]);
      const broken = run();
      expect(broken.status).toBe(2);
      expect(broken.stderr).toContain(`Chain BROKEN at event #${target.seq}`);
    } finally {
      await client.query("update audit_event set result = $1 where seq = $2", [target.result, target.seq]);
      await client.query("alter table audit_event enable trigger user");
    }
  });

  it("keeps credentials out of audit inputs", async () => {
    await call("/api/v1/auth/token", { body: { email: "leak@pilot.test", password: "super-secret-password-123" } });
    const { rows } = await client.query<{ n: string }>(
      "select count(*)::text as n from audit_event where inputs::text like '%super-secret-password-123%'",
    );
    expect(rows[0]!.n).toBe("0");
  });
});
