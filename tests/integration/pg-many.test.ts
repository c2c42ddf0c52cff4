// PgBatchTx.many sends parameters as SQL literals to statements prepared with SQL PREPARE: every
// value must reach PostgreSQL exactly as node-pg's own parameters do. The oracle is node-pg itself:
// the same statements with the same values, bound as parameters, on the same database.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../support/fast-check-seed";

let lib: typeof import("@/lib/db");
let oracle: pg.Client;

beforeAll(async () => {
  process.env.DATABASE_URL = inject("databaseUrl");
  lib = await import("@/lib/db");
  oracle = new pg.Client({ connectionString: inject("databaseUrl") });
  await oracle.connect();
});

afterAll(async () => {
  await oracle?.end();
  await lib?.db().$disconnect();
});

// Text without NUL (PostgreSQL refuses it in text, as the app's guards do), with quotes,
// backslashes, braces, commas, whitespace and non-ASCII.
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("'", '"', "\\", "{", "}", ",", " ", "\n", "é", "😀", "NULL"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .map((s) => s.replace(/\u0000/g, ""));
const STEPS = {
  text: "select $1::text as v",
  array: "select $1::text[] as v",
  json: "select $1::json as v",
  number: "select $1::float8 as v, $2::bigint as w",
  stamp: "select $1::timestamptz as v",
  uuids: "select $1::uuid[] as v",
};

describe("PgBatchTx.many", () => {
  it("binds every value as node-pg's parameters do (fixed-seed property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.option(text, { nil: null }), { maxLength: 6 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
        fc.array(fc.uuid(), { maxLength: 4 }),
        async (t, arr, json, num, big, at, uuids) => {
          const jsonText = JSON.stringify(json).replace(/\\u0000/g, "");
          const steps = [
            { text: STEPS.text, values: [t] },
            { text: STEPS.array, values: [arr] },
            { text: STEPS.json, values: [jsonText] },
            { text: STEPS.number, values: [num, big] },
            { text: STEPS.stamp, values: [at] },
            { text: STEPS.uuids, values: [uuids] },
          ];
          const got = await lib.pgTransaction((tx) => tx.many(steps));
          const want = [];
          for (const s of steps)
            want.push(
              (
                await oracle.query(
                  s.text,
                  s.values.map((v) => (typeof v === "bigint" ? v.toString() : v)),
                )
              ).rows,
            );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("runs the steps in order in one transaction, each seeing the ones before it, and commits with the last", async () => {
    await oracle.query("create table if not exists pg_many_probe (k text primary key, n int)");
    await oracle.query("delete from pg_many_probe");
    const insert = "insert into pg_many_probe (k, n) values ($1, $2) returning n";
    const read = "select count(*)::int as n, coalesce(sum(n), 0)::int as total from pg_many_probe";
    const [first, seen] = await lib.pgTransaction(async (tx) => {
      const a = await tx.many([
        { text: insert, values: ["a", 1] },
        { text: insert, values: ["b", 2] },
        { text: read, values: [] },
      ]);
      // Not committed yet: another connection sees nothing.
      const outside = (await oracle.query(read)).rows[0];
      await tx.many([{ text: insert, values: ["c", 3] }], { commit: true });
      return [a, outside];
    });
    expect(first).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 2, total: 3 }]]);
    expect(seen).toEqual({ n: 0, total: 0 });
    expect((await oracle.query(read)).rows[0]).toEqual({ n: 3, total: 6 });
  });

  it("leaves nothing written when a step fails, and the connection goes on working", async () => {
    await oracle.query("create table if not exists pg_many_probe (k text primary key, n int)");
    await oracle.query("delete from pg_many_probe");
    const insert = "insert into pg_many_probe (k, n) values ($1, $2) returning n";
    await expect(
      lib.pgTransaction((tx) =>
        tx.many([
          { text: insert, values: ["x", 1] },
          { text: insert, values: ["x", 2] },
        ]),
      ),
    ).rejects.toMatchObject({ code: "23505" });
    expect((await oracle.query("select count(*)::int as n from pg_many_probe")).rows[0]).toEqual({ n: 0 });
    // Every pooled connection again (the statements stay prepared on them).
    for (let i = 0; i < 12; i++)
      expect(await lib.pgTransaction((tx) => tx.many([{ text: insert, values: [`k${i}`, i] }]))).toEqual([[{ n: i }]]);
  });
});
