// Validation matches storage, swept over every field a MASS reading stores (issue 20: 2147483648 in an
// integer column, then a year-0 or five-digit-year timestamp, answered 500 at insert). Each numeric
// signal gets the edges of its column's type, each timestamp the edges of a storable date, on both
// single routes (enterprise and Simple) and in a batch: every answer is 201/created or 422/invalid
// naming the field — never a 500 — and whatever is stored reads back exactly as sent.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SIGNALS } from "@/lib/mass/extract-observation";
import { call, userWithRole } from "../support/http";

const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown> & { signals: Record<string, unknown>; time_window: Record<string, unknown> };
};
const hex = () => randomBytes(6).toString("hex");
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const INT4 = [2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, 1.5];
const FLOAT8 = [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e-300, 123.456];
const DATES: unknown[] = [
  "0000-06-01T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "9999-12-31T00:00:00Z",
  1e15,
  253_402_300_800_000, // 10000-01-01 in epoch ms
  1_763_647_200, // 2025-11-20T14:00:00Z in epoch seconds
  1_763_647_200_000, // the same in epoch ms
];

type Answer = { status: number; pointers: string[]; id: string | null };

describe("validation matches storage for every stored MASS field", () => {
  const tenant = `bounds-${hex()}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  let columnType: Map<string, string>;
  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst", [tenant, "acme-cloud"])).token;
    const { rows } = await db.query<{ column_name: string; data_type: string }>(
      "select column_name, data_type from information_schema.columns where table_name = 'observation' and table_schema = current_schema()",
    );
    columnType = new Map(rows.map((r) => [r.column_name, r.data_type]));
  });
  afterAll(() => db.end());

  const answerOf = async (res: Response): Promise<Answer> => {
    const body = (await res.json()) as { id?: string; errors?: { pointer: string }[] };
    return { status: res.status, pointers: (body.errors ?? []).map((e) => e.pointer), id: body.id ?? null };
  };
  const stored = async (id: string, column: string) =>
    (await db.query(`select ${column} as v from observation where mass_request_id = $1`, [id])).rows[0]?.v as unknown;
  const valuesFor = (column: string) => {
    const type = columnType.get(column);
    expect(type, `observation.${column}`).toMatch(/^(integer|double precision)$/);
    return type === "integer" ? INT4 : FLOAT8;
  };

  it("knows the column of every signal", () => {
    for (const [, field] of SIGNALS) valuesFor(snake(field));
  });

  it("MASS Simple: each signal at its column's edges is stored exactly or refused at its pointer", async () => {
    const wrong: string[] = [];
    const outcomes = new Set<number>();
    for (const [wire, field] of SIGNALS) {
      const column = snake(field);
      for (const value of valuesFor(column)) {
        const res = await call("/api/v1/mass", {
          token: analyst,
          body: { payload: { tenant_id: tenant, site_id: "s1", timestamp_utc: "2026-03-01T00:00:00Z", [wire]: value } },
        });
        const a = await answerOf(res);
        outcomes.add(a.status);
        const label = `${wire}=${value}: ${a.status} ${a.pointers.join(" ")}`;
        if (a.status === 201) {
          const got = await stored(a.id!, column);
          if (got !== value) wrong.push(`${label}, stored ${String(got)}`);
        } else if (a.status !== 422 || a.pointers.join() !== `/payload/${wire}`) wrong.push(label);
      }
    }
    expect(wrong).toEqual([]);
    // Both outcomes occur: the sweep reaches the edges on both sides.
    expect(outcomes).toEqual(new Set([201, 422]));
  });

  it("MASS enterprise: each signal at its column's edges is stored exactly or refused at its pointer", async () => {
    const paths: string[][] = [];
    const walk = (o: Record<string, unknown>, path: string[]) => {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === "number") paths.push([...path, k]);
        else if (v && typeof v === "object") walk(v as Record<string, unknown>, [...path, k]);
      }
    };
    walk(example.request.signals, []);
    const byWire = new Map(SIGNALS);
    expect(paths.map((p) => p.at(-1)).sort()).toEqual([...byWire.keys()].sort());
    const wrong: string[] = [];
    for (const path of paths) {
      const column = snake(byWire.get(path.at(-1)!)!);
      for (const value of valuesFor(column)) {
        const doc = structuredClone(example);
        doc.request.idempotency_key = `bounds-${hex()}`;
        doc.request.request_id = `req-bounds-${hex()}`;
        let at = doc.request.signals;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
        at[path.at(-1)!] = value;
        const a = await answerOf(await call("/api/v1/mass/generate", { token: analyst, body: doc }));
        const label = `${path.join(".")}=${value}: ${a.status} ${a.pointers.join(" ")}`;
        if (a.status === 201) {
          // The enterprise normalizer keeps 12 significant digits (lib/mass/values.ts tidy).
          const got = await stored(a.id!, column);
          if (got !== Number(value.toPrecision(12))) wrong.push(`${label}, stored ${String(got)}`);
        } else if (a.status !== 422 || !a.pointers.some((p) => p.startsWith("/request/signals/"))) wrong.push(label);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("timestamps: a date outside the years 1–9999 is refused where it is given, on every route; the edges are stored", async () => {
    const simple = (timestamp: unknown) => ({
      idempotency_key: `bounds-${hex()}`,
      payload: { tenant_id: tenant, site_id: "s2", timestamp_utc: timestamp, interval_seconds: 60, it_load_kw: 5 },
    });
    const enterprise = (where: "start_utc" | "end_utc" | "timestamp_utc", value: unknown) => {
      const doc = structuredClone(example);
      doc.request.idempotency_key = `bounds-${hex()}`;
      doc.request.request_id = `req-bounds-${hex()}`;
      if (where === "timestamp_utc") doc.request.timestamp_utc = value;
      else {
        // Keep the window valid around the edge being tried.
        const edge = typeof value === "string" ? Date.parse(value) : Number(value);
        doc.request.time_window = { ...doc.request.time_window, start_utc: value, end_utc: value };
        if (Number.isFinite(edge)) {
          const other = new Date(where === "start_utc" ? edge + 3_600_000 : edge - 3_600_000);
          if (!Number.isNaN(other.getTime()))
            doc.request.time_window[where === "start_utc" ? "end_utc" : "start_utc"] = other.toISOString();
        }
      }
      return doc;
    };
    const epochOrIso = (v: unknown) => (typeof v === "number" ? (v > 1e11 ? v : v * 1000) : Date.parse(String(v)));
    const storable = (v: unknown) => {
      const year = new Date(epochOrIso(v)).getUTCFullYear();
      return year >= 1 && year <= 9999;
    };
    const batchItems: unknown[] = [];
    for (const value of DATES) {
      const s = simple(value);
      batchItems.push(s);
      const a = await answerOf(await call("/api/v1/mass", { token: analyst, body: { payload: s.payload } }));
      const label = `Simple timestamp_utc=${value}`;
      if (storable(value)) {
        // MASS Simple reads a reading's time from an ISO string or from epoch seconds or
        // milliseconds (above 10^11), as the contract reads every timestamp.
        expect(a.status, label).toBe(201);
        const { rows } = await db.query("select interval_start from observation where mass_request_id = $1", [a.id]);
        expect(rows, label).toHaveLength(1);
        expect((rows[0].interval_start as Date).getTime(), label).toBe(epochOrIso(value));
      } else {
        expect(a.status, label).toBe(422);
        expect(a.pointers, label).toEqual(["/payload/timestamp_utc"]);
      }
      for (const where of ["start_utc", "end_utc", "timestamp_utc"] as const) {
        const doc = enterprise(where, value);
        if (where !== "timestamp_utc") batchItems.push(doc);
        const e = await answerOf(await call("/api/v1/mass/generate", { token: analyst, body: doc }));
        const elabel = `enterprise ${where}=${value}`;
        expect([201, 422], elabel).toContain(e.status);
        if (!storable(value))
          expect(e.pointers, elabel).toContain(`/request/${where === "timestamp_utc" ? "" : "time_window/"}${where}`);
      }
    }
    // The same documents in one batch: each one answered, none failing the others.
    const res = await call("/api/v1/mass/batch", { token: analyst, body: batchItems });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { status: string; errors: { pointer: string }[] }[] };
    expect(body.items).toHaveLength(batchItems.length);
    body.items.forEach((item, i) => {
      expect(["created", "replayed", "invalid"], JSON.stringify(batchItems[i])).toContain(item.status);
    });
    expect(body.items.some((i) => i.status === "created")).toBe(true);
    expect(body.items.some((i) => i.status === "invalid")).toBe(true);
  });
});
