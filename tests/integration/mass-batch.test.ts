// POST /api/v1/mass/batch over real HTTP and PostgreSQL: mixed valid and invalid documents (each
// invalid one's problems named, the valid ones stored, nothing of the invalid ones written),
// replays (the whole batch, single documents by key, across the single and batch routes, a key
// reused with another payload), a 20-way race of identical batches, the rollups against the raw
// rows afterwards, NDJSON, and the batch's limits.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, call, expectProblem, freshIp, userWithRole } from "../support/http";

const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};
const MIGRATION = "prisma/migrations/20261123151000_observation_rollups/migration.sql";
const REPEATS_MIGRATION = "prisma/migrations/20261207010000_mass_repeats_once/migration.sql";
const ORDER = `tenant_id collate "C", site_id collate "C", facility_id collate "C" nulls first, cluster_id collate "C" nulls first, zone_id collate "C" nulls first, dataset_version_id nulls first, bucket`;

type Item = {
  index: number;
  idempotency_key: string | null;
  status: string;
  id: string | null;
  payload_hash: string | null;
  warnings: unknown[];
  detail: string | null;
  errors: { pointer: string; detail: string; code?: string; layer?: string }[];
};
type Batch = { batch_id: string; received_at_utc: string; summary: Record<string, number>; items: Item[] };

const hex = () => randomBytes(6).toString("hex");

function enterprise(tenant = "acme-cloud") {
  const doc = structuredClone(example);
  const suffix = hex();
  doc.request.idempotency_key = `batch-ent-${suffix}`;
  doc.request.request_id = `req-batch-${suffix}`;
  doc.request.tenant_id = tenant;
  return doc;
}

function simple(tenant: string, payload: Record<string, unknown>, key = `batch-simple-${hex()}`) {
  return { idempotency_key: key, payload: { tenant_id: tenant, ...payload } };
}

async function batch(token: string, items: unknown[] | string, contentType = "application/json") {
  const res = await call("/api/v1/mass/batch", {
    token,
    body: typeof items === "string" ? items : JSON.stringify(items),
    headers: { "Content-Type": contentType },
  });
  const text = await res.text();
  return {
    status: res.status,
    res,
    body: JSON.parse(text) as Batch & { errors?: Item["errors"]; code?: string; detail?: string },
  };
}

describe("MASS batch ingestion", () => {
  const tenant = `batch-${randomBytes(3).toString("hex")}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  beforeAll(async () => {
    await db.connect();
    // bigint and numeric as JS numbers (the rollups' counts and sums).
    const parse = (v: string | null) => (v === null ? null : Number(v));
    db.setTypeParser(20, parse);
    db.setTypeParser(1700, parse);
    analyst = (await userWithRole("analyst")).token;
  });
  afterAll(() => db.end());

  const countKeys = async (keys: string[]) =>
    (
      await db.query<{ n: number }>("select count(*)::int as n from mass_request where idempotency_key = any($1)", [
        keys,
      ])
    ).rows[0]!.n;

  it("answers each document of a mixed batch: the valid ones stored (enterprise and Simple), every problem of the others named, nothing of them written", async () => {
    const ent = enterprise();
    const good = simple(tenant, {
      site_id: "b1",
      timestamp_utc: "2026-03-02T10:00:00Z",
      interval_seconds: 900,
      it_load_kw: "120.5",
      facility_power_kw: 150,
    });
    const badEnt = enterprise();
    (badEnt.request.signals as { energy: Record<string, number> }).energy.ups_efficiency_pct = 120;
    (badEnt.request as Record<string, unknown>).surprise = 1;
    const notObject = simple(tenant, {});
    (notObject as Record<string, unknown>).payload = "not an object";
    const noKey = { payload: { tenant_id: tenant, site_id: "b1" } };
    const extraKey = { ...simple(tenant, { site_id: "b1" }), kind: "simple" };
    const { status, body } = await batch(analyst, [ent, good, badEnt, notObject, 42, noKey, extraKey]);
    expect(status).toBe(200);
    expect(body.summary).toEqual({ items: 7, created: 2, replayed: 0, invalid: 5, conflict: 0 });
    expect(body.items.map((i) => [i.index, i.status])).toEqual([
      [0, "created"],
      [1, "created"],
      [2, "invalid"],
      [3, "invalid"],
      [4, "invalid"],
      [5, "invalid"],
      [6, "invalid"],
    ]);
    expect(body.items[0]).toMatchObject({ idempotency_key: ent.request.idempotency_key, errors: [], detail: null });
    expect(body.items[0]!.payload_hash).toMatch(/^[0-9a-f]{64}$/);
    // The same problems, layers and pointers the single route names.
    expect(body.items[2]!.errors.map((e) => `${e.layer} ${e.pointer}`)).toEqual([
      "structural /request/surprise",
      "semantic /request/signals/energy/ups_efficiency_pct",
    ]);
    expect(body.items[2]!.idempotency_key).toBe(badEnt.request.idempotency_key);
    expect(body.items[3]!.errors.map((e) => e.pointer)).toEqual(["/payload"]);
    expect(body.items[4]!.errors).toMatchObject([{ pointer: "", code: "invalid_type" }]);
    expect(body.items[5]!.errors).toMatchObject([{ pointer: "/idempotency_key", code: "required" }]);
    expect(body.items[6]!.errors).toMatchObject([{ pointer: "/kind", code: "unknown_key" }]);
    for (const i of body.items.slice(2)) expect(i).toMatchObject({ id: null, payload_hash: null });

    // The accepted ones as the single routes store them: request, observation, job, readable by id.
    const stored = await db.query(
      "select id::text, kind::text, tenant_id, response_status from mass_request where id = any($1::uuid[]) order by kind",
      [[body.items[0]!.id, body.items[1]!.id]],
    );
    expect(stored.rows).toEqual([
      { id: body.items[0]!.id, kind: "enterprise", tenant_id: "acme-cloud", response_status: 201 },
      { id: body.items[1]!.id, kind: "simple", tenant_id: tenant, response_status: 201 },
    ]);
    const obs = await db.query(
      "select site_id, it_load_kw, interval_start, interval_end from observation where mass_request_id = $1",
      [body.items[1]!.id],
    );
    expect(obs.rows).toEqual([
      {
        site_id: "b1",
        it_load_kw: 120.5,
        interval_start: new Date("2026-03-02T10:00:00Z"),
        interval_end: new Date("2026-03-02T10:15:00Z"),
      },
    ]);
    const jobs = await db.query(
      "select count(*)::int as n from recommendation_job where mass_request_id = any($1::uuid[])",
      [[body.items[0]!.id, body.items[1]!.id]],
    );
    expect(jobs.rows[0].n).toBe(2);
    const detail = await call(`/api/v1/mass/${body.items[1]!.id}`, { token: analyst });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { raw: unknown }).raw).toEqual(good);
    // The timeline names the batch that stored it.
    const timeline = (await (await call(`/api/v1/mass/${body.items[1]!.id}/events`, { token: analyst })).json()) as {
      items: { event: string; detail: string | null }[];
    };
    expect(timeline.items.filter((e) => e.event === "stored")).toMatchObject([{ detail: `in batch ${body.batch_id}` }]);
    // Nothing of the invalid ones.
    expect(
      await countKeys([badEnt.request.idempotency_key as string, notObject.idempotency_key, extraKey.idempotency_key]),
    ).toBe(0);
    // One audit event per tenant, naming each stored document's id and payload hash.
    const audit = await db.query<{
      tenant_id: string;
      outputs: { items: { id: string; payload_hash: string; index: number }[] };
    }>(
      "select tenant_id, outputs from audit_event where action = 'mass.ingest_batch' and target_type = 'mass_batch' and target_id = $1 order by tenant_id",
      [body.batch_id],
    );
    expect(audit.rows.map((r) => [r.tenant_id, r.outputs.items.map((i) => [i.index, i.id, i.payload_hash])])).toEqual(
      [
        ["acme-cloud", [[0, body.items[0]!.id, body.items[0]!.payload_hash]]],
        [tenant, [[1, body.items[1]!.id, body.items[1]!.payload_hash]]],
      ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    );
  });

  it("answers a batch with nothing accepted as one 422 problem naming every problem, with each document's answer", async () => {
    const bad = simple(tenant, {}, "short");
    const { status, res, body } = await batch(analyst, [bad, "x"]);
    expect(status).toBe(422);
    expectProblem(res);
    expect(body.code).toBe("validation_failed");
    expect(body.errors!.map((e) => `${e.pointer} ${e.code}`)).toEqual(["/0/idempotency_key format", "/1 invalid_type"]);
    expect(body.items.map((i) => i.status)).toEqual(["invalid", "invalid"]);
  });

  it("replays: the whole batch, single documents by key across routes; a key reused with another payload is a conflict", async () => {
    const items = [0, 1, 2].map((k) =>
      simple(tenant, { site_id: "r1", timestamp_utc: `2026-03-04T0${k}:00:00Z`, it_load_kw: 10 + k }),
    );
    const first = await batch(analyst, items);
    expect(first.status).toBe(200);
    expect(first.res.headers.get("idempotent-replayed")).toBeNull();
    expect(first.body.items.map((i) => i.status)).toEqual(["created", "created", "created"]);
    const again = await batch(analyst, items);
    expect(again.status).toBe(200);
    expect(again.res.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.items).toEqual(first.body.items.map((i) => ({ ...i, status: "replayed" })));

    // A stored batch document replayed by the single route, and a single request replayed in a batch.
    const single = await call("/api/v1/mass", {
      token: analyst,
      body: { payload: items[1]!.payload },
      headers: { "Idempotency-Key": items[1]!.idempotency_key },
    });
    expect(single.status).toBe(201);
    expect(single.headers.get("idempotent-replayed")).toBe("true");
    expect(((await single.json()) as { id: string }).id).toBe(first.body.items[1]!.id);
    const alone = simple(tenant, { site_id: "r1", timestamp_utc: "2026-03-04T05:00:00Z", it_load_kw: 5 });
    const aloneRes = await call("/api/v1/mass", {
      token: analyst,
      body: { payload: alone.payload },
      headers: { "Idempotency-Key": alone.idempotency_key },
    });
    expect(aloneRes.status).toBe(201);
    const aloneId = ((await aloneRes.json()) as { id: string }).id;

    // Another payload under a stored key; the same key twice in one batch (same payload, then another).
    const changed = { ...items[0]!, payload: { ...items[0]!.payload, it_load_kw: 99 } };
    const twice = simple(tenant, { site_id: "r1", timestamp_utc: "2026-03-04T06:00:00Z", it_load_kw: 6 });
    const twiceChanged = { ...twice, payload: { ...twice.payload, it_load_kw: 7 } };
    const mixed = await batch(analyst, [changed, alone, twice, twice, twiceChanged]);
    expect(mixed.status).toBe(200);
    expect(mixed.body.items.map((i) => i.status)).toEqual(["conflict", "replayed", "created", "replayed", "conflict"]);
    expect(mixed.body.items[0]!.errors).toEqual([
      { pointer: "/idempotency_key", detail: "reused with a different payload", code: "idempotency_key_reused" },
    ]);
    expect(mixed.body.items[1]!.id).toBe(aloneId);
    expect(mixed.body.items[3]!.id).toBe(mixed.body.items[2]!.id);
    expect(mixed.body.items[4]!.errors[0]!.code).toBe("idempotency_key_reused");
    for (const key of [items[0]!.idempotency_key, alone.idempotency_key, twice.idempotency_key])
      expect(await countKeys([key])).toBe(1);
    const value = await db.query(
      "select o.it_load_kw from observation o join mass_request m on m.id = o.mass_request_id where m.idempotency_key = $1",
      [items[0]!.idempotency_key],
    );
    expect(value.rows).toEqual([{ it_load_kw: 10 }]);
  });

  it("stores each document once when 20 identical batches race, and gives every caller the same ids", async () => {
    const items = [
      enterprise(),
      ...Array.from({ length: 60 }, (_, k) =>
        simple(tenant, {
          site_id: "race",
          cluster_id: `c${k % 3}`,
          timestamp_utc: new Date(Date.UTC(2026, 2, 5, 0, 5 * k)).toISOString(),
          interval_seconds: 300,
          it_load_kw: 50 + k,
          facility_power_kw: 70 + k,
        }),
      ),
    ];
    const keys = items.map((i) => ("payload" in i ? i.idempotency_key : (i.request.idempotency_key as string)));
    const answers = await Promise.all(Array.from({ length: 20 }, () => batch(analyst, items)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (let k = 0; k < items.length; k++) {
      const per = answers.map((a) => a.body.items[k]!);
      expect(new Set(per.map((i) => i.id)).size, `item ${k}: one id`).toBe(1);
      expect(
        per.filter((i) => i.status === "created"),
        `item ${k}: created once`,
      ).toHaveLength(1);
      expect(per.filter((i) => i.status === "replayed")).toHaveLength(19);
    }
    expect(await countKeys(keys)).toBe(items.length);
    const obs = await db.query<{ n: number; distinct_requests: number }>(
      "select count(*)::int as n, count(distinct o.mass_request_id)::int as distinct_requests from observation o join mass_request m on m.id = o.mass_request_id where m.idempotency_key = any($1)",
      [keys],
    );
    expect(obs.rows[0]).toEqual({ n: items.length, distinct_requests: items.length });
  });

  it("queues one recommendation job per series, for its latest new reading, however many readings a batch carries", async () => {
    const minute = (m: number) => new Date(Date.UTC(2026, 4, 1, 8, m)).toISOString();
    const reading = (cluster: string, m: number, key?: string) =>
      simple(
        tenant,
        { site_id: "jobs1", cluster_id: cluster, timestamp_utc: minute(m), interval_seconds: 60, it_load_kw: 100 + m },
        key,
      );
    // Three series, readings out of time order; series c3's latest reading was stored before (a replay).
    const replayed = reading("c3", 9);
    expect((await batch(analyst, [replayed])).body.summary.created).toBe(1);
    const items = [
      reading("c1", 3),
      reading("c1", 7),
      reading("c2", 5),
      reading("c1", 1),
      reading("c2", 2),
      reading("c3", 4),
      reading("c3", 6),
      replayed,
    ];
    const { status, body } = await batch(analyst, items);
    expect(status).toBe(200);
    expect(body.summary).toMatchObject({ created: 7, replayed: 1 });
    const ids = body.items.map((i) => i.id!);
    const jobs = await db.query<{ mass_request_id: string }>(
      "select mass_request_id::text from recommendation_job where mass_request_id = any($1::uuid[]) order by mass_request_id",
      [ids.slice(0, 7)],
    );
    // c1 → minute 7 (item 1), c2 → minute 5 (item 2), c3 → minute 6 (item 6): the replayed minute 9 had its job already.
    expect(jobs.rows.map((j) => j.mass_request_id)).toEqual([ids[1], ids[2], ids[6]].sort());
    expect(
      (await db.query("select count(*)::int as n from recommendation_job where mass_request_id = $1", [ids[7]])).rows[0]
        .n,
    ).toBe(1);
  });

  it("takes NDJSON, one document a line: a line that is not JSON is that document's problem only", async () => {
    const a = simple(tenant, { site_id: "n1", timestamp_utc: "2026-03-06T00:00:00Z", it_load_kw: 1 });
    const b = enterprise();
    const text = `${JSON.stringify(a)}\r\n\n{"idempotency_key": "broken-line-1", \n${JSON.stringify(b)}\n`;
    const { status, body } = await batch(analyst, text, "application/x-ndjson");
    expect(status).toBe(200);
    expect(body.items.map((i) => [i.index, i.status])).toEqual([
      [0, "created"],
      [1, "invalid"],
      [2, "created"],
    ]);
    expect(body.items[1]!.errors).toMatchObject([{ pointer: "", code: "invalid_json" }]);
  });

  it("keeps each document to the caller's tenants", async () => {
    const scoped = (await userWithRole("analyst", [tenant])).token;
    const { status, body } = await batch(scoped, [
      simple(tenant, { site_id: "t1" }),
      simple("someone-else", { site_id: "t1" }),
      enterprise(),
    ]);
    expect(status).toBe(200);
    expect(body.items.map((i) => i.status)).toEqual(["created", "invalid", "invalid"]);
    expect(body.items[1]!.errors).toMatchObject([{ pointer: "/payload/tenant_id", code: "forbidden" }]);
    expect(body.items[2]!.errors).toMatchObject([{ pointer: "/request/tenant_id", code: "forbidden" }]);
  });

  it("refuses a batch over its limits as a whole, naming the limit", async () => {
    const many = Array.from({ length: 1_001 }, (_, k) => simple(tenant, { site_id: "l1" }, `limit-${k}-${hex()}`));
    const over = await batch(analyst, many);
    expect(over.status).toBe(422);
    expect(over.body.errors).toMatchObject([{ pointer: "", code: "too_many_items" }]);
    expect(over.body.detail).toContain("1,000");
    expect(await countKeys(many.map((m) => m.idempotency_key))).toBe(0);
    const overNd = await batch(analyst, many.map((m) => JSON.stringify(m)).join("\n"), "application/x-ndjson");
    expect(overNd.status).toBe(422);
    expect(overNd.body.errors).toMatchObject([{ code: "too_many_items" }]);
    expect((await batch(analyst, [])).body.errors).toMatchObject([{ code: "empty_batch" }]);
    expect((await batch(analyst, { items: [] } as unknown as unknown[])).status).toBe(422);
    expect(
      (
        await call("/api/v1/mass/batch", {
          token: analyst,
          body: "[{",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call("/api/v1/mass/batch", { token: analyst, body: "[]", headers: { "Content-Type": "text/plain" } }))
        .status,
    ).toBe(415);
    const huge = await fetch(`${baseUrl()}/api/v1/mass/batch`, {
      method: "POST",
      headers: { Authorization: `Bearer ${analyst}`, "Content-Type": "application/json", "X-Forwarded-For": freshIp() },
      body: `[${" ".repeat(9_000_000)}]`,
    });
    expect(huge.status).toBe(413);
    expectProblem(huge);
  });

  it("keeps the rollups equal to the raw rows: readings repeated within and across batches, instants, several series and days", async () => {
    const reading = (k: number, at: string, seconds: number | null, site = "roll") =>
      simple(tenant, {
        site_id: site,
        cluster_id: k % 2 ? "c1" : null,
        timestamp_utc: at,
        ...(seconds === null ? {} : { interval_seconds: seconds }),
        it_load_kw: 100 + k,
        facility_power_kw: 140 + k,
        chiller_kw: k % 3 ? 10 + k : undefined,
        p95_rack_inlet_c: 24 + (k % 5) / 4,
        cooling_setpoint_c: 22,
      });
    const first = [
      reading(1, "2026-03-07T10:00:00Z", 600),
      reading(3, "2026-03-07T10:00:00Z", 600), // the same series and instant again, later in the batch: it counts
      reading(5, "2026-03-07T10:30:00Z", null),
      reading(2, "2026-03-07T23:55:00Z", 600),
      reading(4, "2026-03-08T00:05:00Z", 600, "roll2"),
      ...Array.from({ length: 40 }, (_, k) =>
        reading(10 + k, new Date(Date.UTC(2026, 2, 7, 12, 10 * k)).toISOString(), 600),
      ),
    ];
    expect((await batch(analyst, first)).body.summary.created).toBe(first.length);
    // A later batch repeating some of those readings under new keys: the later reading counts.
    const second = [
      reading(7, "2026-03-07T10:00:00Z", 600),
      reading(9, "2026-03-07T12:10:00Z", 600),
      reading(11, "2026-03-09T01:00:00Z", 3600),
    ];
    expect((await batch(analyst, second)).body.summary.created).toBe(second.length);

    const backfill = readFileSync(join(process.cwd(), MIGRATION), "utf8").split("-- Hand-written")[1]!;
    const repeats = readFileSync(join(process.cwd(), REPEATS_MIGRATION), "utf8");
    const read = () =>
      Promise.all(
        ["observation_rollup_hour", "observation_rollup_day"].map(async (table) =>
          (await db.query(`select * from ${table} where tenant_id = $1 order by ${ORDER}`, [tenant])).rows.map(
            ({ id: _id, ...rest }) => rest,
          ),
        ),
      );
    await db.query("begin");
    let maintained: Record<string, unknown>[][];
    let backfilled: Record<string, unknown>[][];
    try {
      maintained = await read();
      // As tests/integration/rollups.test.ts does: the migrations' backfill, rolled back afterwards.
      await db.query("delete from observation_rollup_hour");
      await db.query("delete from observation_rollup_day");
      await db.query(`-- Hand-written${backfill}`);
      await db.query(repeats);
      backfilled = await read();
    } finally {
      await db.query("rollback");
    }
    for (const level of [0, 1]) {
      expect(maintained[level]!.length).toBeGreaterThan(0);
      expect(maintained[level]!.length).toBe(backfilled[level]!.length);
      maintained[level]!.forEach((row, n) => {
        const expected = backfilled[level]![n]!;
        for (const key of Object.keys(expected)) {
          const a = row[key];
          const b = expected[key];
          if (typeof a === "number" && typeof b === "number")
            expect(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)), `${key}: ${a} vs ${b}`).toBe(true);
          else expect(a, key).toEqual(b);
        }
      });
    }
  });
});
