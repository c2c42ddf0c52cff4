// The migrations that put back in the queue the jobs that had failed for good in a BioCore outage
// (20261207013500, and 20261207140000 for the kind the first one missed) agree with the client's own
// rule: a job whose last error is an outage (allowsStale) is requeued with its MASS request; a
// request BioCore refused stays failed. Every error kind the client can report is tried, with its
// message as the worker stores it ("<kind>: <message>").
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allowsStale } from "@/lib/biocore/client/call-error";
import type { CallError, CallErrorKind } from "@/lib/biocore/client/types";
import { call, userWithRole } from "../support/http";

const MIGRATIONS = [
  "prisma/migrations/20261207013500_requeue_jobs_failed_in_outages/migration.sql",
  "prisma/migrations/20261207140000_requeue_invalid_json_failures/migration.sql",
];
const KINDS: CallErrorKind[] = [
  "timeout",
  "network",
  "invalid_json",
  "invalid_schema",
  "response_too_large",
  "circuit_open",
  "bulkhead_full",
  "aborted",
];
const ERRORS: CallError[] = [
  ...KINDS.map((kind) => ({ kind, message: `a ${kind} failure` })),
  ...[429, 500, 502, 503, 504, 400, 401, 404, 422].map((status) => ({
    kind: "http" as const,
    status,
    message: `BioCore answered HTTP ${status}`,
  })),
];

describe("the requeue migrations follow the client's outage rule", () => {
  const tenant = `requeue-${randomBytes(3).toString("hex")}`;
  const db = new pg.Client({ connectionString: inject("databaseUrl") });
  let analyst: string;
  beforeAll(async () => {
    await db.connect();
    analyst = (await userWithRole("analyst")).token;
  });
  afterAll(() => db.end());

  it("requeues exactly the jobs whose last error is an outage, with their MASS requests", async () => {
    const ids: string[] = [];
    for (let i = 0; i < ERRORS.length; i++) {
      const res = await call("/api/v1/mass", {
        token: analyst,
        body: {
          payload: {
            tenant_id: tenant,
            site_id: "r1",
            timestamp_utc: `2026-04-01T${String(i).padStart(2, "0")}:00:00Z`,
            it_load_kw: 10,
          },
        },
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    // Let the worker finish with them, then make each one's job failed for good with one error.
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query(
        "select count(*)::int as n from recommendation_job where mass_request_id = any($1::uuid[]) and status in ('pending', 'running')",
        [ids],
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [i, e] of ERRORS.entries()) {
      await db.query(
        "update recommendation_job set status = 'failed', attempts = 12, last_error = $2 where mass_request_id = $1",
        [ids[i], `${e.kind}: ${e.message}`],
      );
      await db.query("update mass_request set status = 'failed' where id = $1", [ids[i]]);
    }
    for (const file of MIGRATIONS) await db.query(readFileSync(file, "utf8"));
    const { rows } = await db.query<{ id: string; job: string; mass: string }>(
      `select m.id::text, j.status as job, m.status as mass
         from mass_request m join recommendation_job j on j.mass_request_id = m.id where m.id = any($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const wrong = ERRORS.flatMap((e, i) => {
      const want = allowsStale(e) ? "pending" : "failed";
      const got = byId.get(ids[i]!)!;
      // The worker may already have taken a requeued job again: pending, running or done all mean requeued.
      const requeued = got.job !== "failed";
      return requeued === (want === "pending") && (requeued ? got.mass !== "failed" : got.mass === "failed")
        ? []
        : [`${e.kind}${e.status ? ` ${e.status}` : ""}: job ${got.job}, request ${got.mass}, expected ${want}`];
    });
    expect(wrong).toEqual([]);
  });
});
