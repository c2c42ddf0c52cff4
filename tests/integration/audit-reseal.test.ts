// The attacks of issue 16, item 3, on the real server and database: someone who can write the
// audit table (its owner, or a superuser) edits an event and nulls the seals from there on so the
// app's own sealer re-chains the edit; truncates the table so the chain restarts; or rewrites rows
// with hashes of their own. Each must be caught: by the key, by anchors kept outside the database,
// and by the sealer refusing to seal over a head that disagrees with its last anchor.
// Each test restores the table exactly (from a copy taken first), since later files share the server.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GENESIS_HASH, hashEvent, hashEventV1, type HashedFields } from "@/lib/audit/event-hash";
import { adminToken, call } from "../support/http";

type Anchor = { chain_pos: string; hash: string; count: number; at: string; sig: string };
type Verification = {
  ok: boolean;
  checked: number;
  first_seq: string | null;
  head_pos: string | null;
  legacy_unkeyed: number;
  first_broken: { seq: string; chain_pos: string; reason: string } | null;
  anchors: {
    checked: number;
    problems: { chain_pos: string; source: string; problem: string; actual_hash: string | null }[];
  };
  reasons: string[];
  seal_refused: string | null;
};

const BACKUP = "audit_reseal_backup";
/** lib/audit/repo.ts's SEAL_LOCK_KEY: the test rewrites rows while no event is being sealed. */
const SEAL_LOCK = "select pg_advisory_xact_lock(7400130001)";

describe("a re-sealed, truncated or re-keyed audit chain is caught", () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  async function verify(anchors?: Anchor[]): Promise<Verification> {
    const res = await call("/api/v1/audit/verify", {
      token: await adminToken(),
      ...(anchors ? { body: { anchors } } : {}),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Verification;
  }

  async function checkpoint(): Promise<Anchor> {
    const res = await call("/api/v1/audit/checkpoint", { token: await adminToken() });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Anchor;
  }

  /** A few fresh events (failed sign-ins), sealed by the server. */
  async function someEvents(n: number): Promise<void> {
    for (let i = 0; i < n; i++)
      await call("/api/v1/auth/token", {
        body: { email: `reseal-${Date.now()}-${i}@pilot.test`, password: "wrong-password" },
      });
    await verify();
  }

  async function unsealedAmong(seqs: string[]): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from audit_event where hash is null and seq = any($1::bigint[])",
      [seqs],
    );
    return rows[0]!.n;
  }

  async function backup(): Promise<void> {
    await client.query(`drop table if exists ${BACKUP}`);
    await client.query(`create table ${BACKUP} as select * from audit_event`);
  }

  /** Puts the table back as copied; events written since go back unsealed, for the sealer to chain. */
  async function restore(): Promise<void> {
    await client.query("begin");
    try {
      await client.query(SEAL_LOCK);
      await client.query("set local session_replication_role = replica");
      await client.query(
        `create temp table audit_reseal_extra on commit drop as select * from audit_event where seq not in (select seq from ${BACKUP})`,
      );
      await client.query("delete from audit_event");
      await client.query(`insert into audit_event select * from ${BACKUP}`);
      await client.query("update audit_reseal_extra set chain_pos = null, prev_hash = null, hash = null");
      await client.query("insert into audit_event select * from audit_reseal_extra");
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
    await client.query(`drop table ${BACKUP}`);
    const after = await verify();
    expect(after.reasons).toEqual([]);
    expect(after.ok).toBe(true);
  }

  /** Recomputes the chain from position `from` on with `hash`, as someone with write access would. */
  async function rechain(from: number, hash: (prev: string, fields: HashedFields) => string): Promise<void> {
    const { rows } = await client.query<Record<string, unknown>>(
      "select * from audit_event where chain_pos >= $1 order by chain_pos",
      [from],
    );
    const prev = await client.query<{ hash: string }>("select hash from audit_event where chain_pos = $1", [from - 1]);
    let prevHash = prev.rows[0]?.hash ?? GENESIS_HASH;
    await client.query("begin");
    try {
      await client.query(SEAL_LOCK);
      await client.query("set local session_replication_role = replica");
      for (const r of rows) {
        const fields: HashedFields = {
          id: r.id as string,
          occurredAt: r.occurred_at as Date,
          actorType: r.actor_type as string,
          actorId: r.actor_id as string | null,
          actorLabel: r.actor_label as string | null,
          tenantId: r.tenant_id as string | null,
          action: r.action as string,
          targetType: r.target_type as string | null,
          targetId: r.target_id as string | null,
          inputs: r.inputs,
          outputs: r.outputs,
          result: r.result as string,
          datasetVersion: r.dataset_version as string | null,
          biocoreVersion: r.biocore_version as string | null,
          appVersion: r.app_version as string,
          gitCommit: r.git_commit as string | null,
          traceId: r.trace_id as string | null,
          spanId: r.span_id as string | null,
          requestId: r.request_id as string | null,
          ip: r.ip as string | null,
          userAgent: r.user_agent as string | null,
        };
        const h = hash(prevHash, fields);
        await client.query("update audit_event set prev_hash = $1, hash = $2 where seq = $3", [prevHash, h, r.seq]);
        prevHash = h;
      }
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  }

  /** The position of an event a few before the anchored head, and the sequence numbers from there on. */
  async function target(anchor: Anchor): Promise<{ pos: number; seqs: string[] }> {
    const pos = Number(anchor.chain_pos) - 2;
    const { rows } = await client.query<{ seq: string }>("select seq::text from audit_event where chain_pos >= $1", [
      pos,
    ]);
    return { pos, seqs: rows.map((r) => r.seq) };
  }

  it("anchors the head outside the database: a signed line in AUDIT_ANCHOR_FILE that the offline verifier accepts", async () => {
    await someEvents(3);
    const file = inject("auditAnchorFile");
    let lines: string[] = [];
    for (let i = 0; i < 50 && lines.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        lines = readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
      } catch {
        // not written yet
      }
    }
    expect(lines.length).toBeGreaterThan(0);
    const anchor = JSON.parse(lines.at(-1)!) as Anchor;
    expect(anchor).toMatchObject({
      chain_pos: expect.stringMatching(/^\d+$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      sig: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const cli = spawnSync("npm", ["run", "--silent", "audit:verify", "--", "--anchors", file], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), AUDIT_HMAC_KEY: inject("auditKey") },
      encoding: "utf8",
    });
    expect(cli.status, cli.stderr).toBe(0);
    const result = JSON.parse(cli.stdout) as { ok: boolean; anchors: { checked: number; problems: unknown[] } };
    expect(result.ok).toBe(true);
    expect(result.anchors.checked).toBeGreaterThanOrEqual(lines.length);
    expect(result.anchors.problems).toEqual([]);
  });

  it("an edited event with the seals nulled from there on is not re-chained by the app, and fails verification against kept anchors", async () => {
    await someEvents(4);
    const kept = await checkpoint();
    await verify(); // seals the checkpoint's own audit event
    const { pos, seqs } = await target(kept);
    await backup();
    try {
      // The attack as the table owner: edit, then null hash/prev_hash/chain_pos from the edit on.
      // Under the sealer's advisory lock, so that no event is being sealed meanwhile (the test
      // wants every event from the edit on unsealed, as the issue describes it).
      await client.query("begin");
      await client.query(SEAL_LOCK);
      await client.query("alter table audit_event disable trigger user");
      await client.query("update audit_event set action = 'forged.action' where chain_pos = $1", [pos]);
      await client.query(
        "update audit_event set chain_pos = null, prev_hash = null, hash = null where chain_pos >= $1",
        [pos],
      );
      await client.query("alter table audit_event enable trigger user");
      await client.query("commit");
      // Several sealer ticks: before the fix the sealer re-chained the edited rows and verify said ok.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await unsealedAmong(seqs)).toBe(seqs.length);

      const own = await verify(); // the server's own last anchor (the checkpoint it handed out)
      expect(own.ok).toBe(false);
      expect(own.reasons).toEqual(expect.arrayContaining(["truncated", "chain_rewritten"]));
      const withKept = await verify([kept]);
      expect(withKept.ok).toBe(false);
      expect(withKept.anchors.problems).toContainEqual(
        expect.objectContaining({ chain_pos: kept.chain_pos, source: "request", problem: "truncated" }),
      );
      expect((await call("/api/v1/audit/checkpoint", { token: await adminToken() })).status).toBe(409);

      // Someone who holds the key (or an app without this guard) re-chains anyway: every hash and
      // link verifies, but the kept anchor's position now holds another hash.
      await client.query("begin");
      await client.query(SEAL_LOCK);
      await client.query("set local session_replication_role = replica");
      await client.query(
        `update audit_event a set chain_pos = v.pos
           from (select seq, $1::bigint - 1 + row_number() over (order by seq) as pos from audit_event where seq = any($2::bigint[])) v
          where a.seq = v.seq`,
        [pos, seqs],
      );
      await client.query("commit");
      const key = inject("auditKey");
      await rechain(pos, (prev, fields) => hashEvent(prev, fields, key));
      const resealed = await verify([kept]);
      expect(resealed.first_broken).toBeNull();
      expect(resealed.ok).toBe(false);
      expect(resealed.reasons).toContain("anchor_mismatch");
      expect(resealed.anchors.problems).toContainEqual(
        expect.objectContaining({ chain_pos: kept.chain_pos, source: "request", problem: "hash_differs" }),
      );

      // The same, offline, from the database, the key and a file of kept anchors.
      const file = join(tmpdir(), `kept-anchors-${Date.now()}.jsonl`);
      writeFileSync(file, `${JSON.stringify(kept)}\n`);
      try {
        const cli = spawnSync("npm", ["run", "--silent", "audit:verify", "--", "--anchors", file], {
          env: { ...process.env, DATABASE_URL: inject("databaseUrl"), AUDIT_HMAC_KEY: key },
          encoding: "utf8",
        });
        expect(cli.status, cli.stderr).toBe(2);
        expect((JSON.parse(cli.stdout) as { reasons: string[] }).reasons).toContain("anchor_mismatch");
      } finally {
        rmSync(file, { force: true });
      }
    } finally {
      await restore();
    }
  });

  it("a TRUNCATE (triggers bypassed in replica mode) is reported as truncation against kept anchors, not ok over 0 events", async () => {
    await someEvents(2);
    const kept = await checkpoint();
    await backup();
    try {
      await client.query("begin");
      await client.query(SEAL_LOCK);
      await client.query("set local session_replication_role = replica");
      await client.query("truncate audit_event");
      await client.query("commit");
      // A new event after the truncation: the sealer must not start a fresh chain under it.
      await call("/api/v1/auth/token", {
        body: { email: `after-truncate-${Date.now()}@pilot.test`, password: "wrong-password" },
      });
      await new Promise((r) => setTimeout(r, 2_000));
      const { rows } = await client.query<{ sealed: number }>(
        "select count(*)::int as sealed from audit_event where hash is not null",
      );
      expect(rows[0]!.sealed).toBe(0);

      const result = await verify([kept]);
      expect(result.ok).toBe(false);
      expect(result.checked).toBe(0);
      expect(result.reasons).toContain("truncated");
      expect(result.anchors.problems).toContainEqual(
        expect.objectContaining({
          chain_pos: kept.chain_pos,
          source: "request",
          problem: "truncated",
          actual_hash: null,
        }),
      );
    } finally {
      await restore();
    }
  });

  it("rows rewritten by someone with database access but not the key fail verification, even without anchors", async () => {
    await someEvents(3);
    const kept = await checkpoint();
    const { pos } = await target(kept);
    await backup();
    try {
      // With a key of their own: no keyed hash verifies.
      await rechain(pos, (prev, fields) => hashEvent(prev, fields, "a-key-that-is-not-the-servers-key-0123456789"));
      const wrongKey = await verify();
      expect(wrongKey.ok).toBe(false);
      expect(wrongKey.first_broken).toMatchObject({ chain_pos: String(pos), reason: "hash_mismatch" });

      // With the unkeyed hash anyone can compute (what the chain was before the key): refused after keyed events.
      await rechain(pos, (prev, fields) => hashEventV1(prev, fields));
      const unkeyed = await verify();
      expect(unkeyed.ok).toBe(false);
      expect(unkeyed.first_broken).toMatchObject({ chain_pos: String(pos), reason: "unkeyed_after_keyed" });
      expect((await verify([kept])).reasons).toEqual(
        expect.arrayContaining(["unkeyed_after_keyed", "anchor_mismatch"]),
      );
    } finally {
      await restore();
    }
  });
});
