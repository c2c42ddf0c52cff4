// The background loops in a process of their own (WORKER_MODE=process, scripts/worker.ts), as
// `npm start` runs them: the server no longer processes recommendation jobs; the worker does, woken
// by PostgreSQL NOTIFY long before its poll; jobs enqueued while it is down wait and are taken when
// it comes back; it runs at a lower CPU priority with a small pool of its own; the audit chain is
// still sealed; it serves its own metrics (the BioCore calls are made there); without BIOCORE_URL it
// serves the reference engine itself, so the web server answers nothing for jobs, and the
// recommendations are those the inline worker (the shared test server) stores for the same input;
// SIGTERM hands back what it claimed and ends it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "@/lib/net/free-port";
import { startAppServer, type AppServer } from "../support/app-server";
import { adminToken, call, freshIp } from "../support/http";
import { eventually } from "../support/eventually";

function enterprise() {
  const doc = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
  doc.request.signals.energy.it_load_kw = 1500 + randomBytes(2).readUInt16BE() / 100;
  doc.request.request_id = `req-${randomBytes(4).toString("hex")}`;
  doc.request.idempotency_key = `idem-${randomBytes(8).toString("hex")}`;
  return doc;
}

describe("the worker process", () => {
  let app: AppServer;
  let token: string;
  let db: pg.Client;
  const POOL = 2;
  const metricsToken = randomBytes(24).toString("hex");
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    app = await startAppServer({
      METRICS_TOKEN: metricsToken,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_MODE: "process",
      WORKER_POOL_MAX: String(POOL),
      // A poll far longer than the test waits: only a NOTIFY (or the look taken on start) wakes it.
      BIOCORE_WORKER_POLL_MS: "600000",
      RATE_LIMIT_API_PER_MINUTE: "100000",
      RATE_LIMIT_IP_PER_MINUTE: "100000",
    });
    const res = await fetch(`${app.baseUrl}/api/v1/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": freshIp() },
      body: JSON.stringify({ email: app.adminEmail, password: app.adminPassword }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await app?.stop();
  });

  const ingest = async (doc: unknown = enterprise()): Promise<string> => {
    const res = await fetch(`${app.baseUrl}/api/v1/mass/generate`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(doc),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const jobStatus = async (massId: string) =>
    (await db.query("select status from recommendation_job where mass_request_id = $1", [massId])).rows[0]?.status as
      string | undefined;

  it("processes a job woken by NOTIFY, well before its poll, with a recommendation stored", async () => {
    const t = Date.now();
    const id = await ingest();
    await eventually("the job to be done", async () => (await jobStatus(id)) === "done", 15_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    const recs = await db.query("select count(*)::int as n from recommendation where mass_request_id = $1", [id]);
    expect(recs.rows[0].n).toBeGreaterThan(0);
  });

  it("runs at nice 10 (every thread) and seals the audit chain", async () => {
    const pid = app.worker()!.pid!;
    const nice = (tid: string) =>
      Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const { readdirSync } = await import("node:fs");
    const tids = readdirSync(`/proc/${pid}/task`);
    expect(tids.length).toBeGreaterThan(1);
    expect(tids.map(nice).every((n) => n === 10)).toBe(true);
    await eventually(
      "every audit event sealed",
      async () => (await db.query("select count(*)::int as n from audit_event where hash is null")).rows[0].n === 0,
    );
  });

  it("leaves jobs to the worker: none is taken while it is down, all once it is back, within its own small pool", async () => {
    await app.stopWorker();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await ingest());
    await new Promise((r) => setTimeout(r, 1_500));
    const waiting = await db.query(
      "select status, count(*)::int as n from recommendation_job where mass_request_id = any($1::uuid[]) group by 1",
      [ids],
    );
    expect(waiting.rows).toEqual([{ status: "pending", n: 12 }]);
    const connections = async () =>
      (
        await db.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
        )
      ).rows[0].n as number;
    const before = await connections();
    await app.startWorker();
    let most = before;
    await eventually("every job done", async () => {
      most = Math.max(most, await connections());
      return (
        (
          await db.query(
            "select count(*)::int as n from recommendation_job where mass_request_id = any($1::uuid[]) and status = 'done'",
            [ids],
          )
        ).rows[0].n === 12
      );
    });
    // Its pool, and one connection listening for the server's nudges.
    expect(most - before).toBeGreaterThan(0);
    expect(most - before).toBeLessThanOrEqual(POOL + 1);
  });

  it("serves its metrics to the bearer of METRICS_TOKEN: the BioCore calls it made, its breaker and pool", async () => {
    const url = `http://127.0.0.1:${metricsPort}/api/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: "Bearer wrong-token-wrong-token" } })).status).toBe(401);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/pib_biocore_calls_total\{outcome="ok"\} [1-9]/);
    expect(text).toMatch(/pib_biocore_circuit_state 0/);
    expect(text).toMatch(/pib_db_pool_connections\{state="total"\} [1-9]/);
    // The queue's gauges have one source, the server.
    expect(text).not.toContain("pib_recommendation_jobs");
  });

  /** Sample counts of a process's request-duration histogram by route label (all methods and statuses). */
  async function samplesByRoute(metricsUrl: string): Promise<Map<string, number>> {
    const res = await fetch(metricsUrl, {
      headers: { Authorization: `Bearer ${metricsToken}`, "X-Forwarded-For": freshIp() },
    });
    expect(res.status).toBe(200);
    const counts = new Map<string, number>();
    for (const line of (await res.text()).split("\n")) {
      const m = /^pib_http_server_request_duration_seconds_count\{([^}]*)\} (\d+)/.exec(line);
      const route = m && /(?:^|,)route="([^"]*)"/.exec(m[1]!)?.[1];
      if (m && route) counts.set(route, (counts.get(route) ?? 0) + Number(m[2]));
    }
    return counts;
  }

  /** What a job stored that does not depend on where or when it ran: the call, its recommendations and their audit events. */
  async function storedAnswer(client: pg.Client, massId: string) {
    const calls = await client.query(
      `select engine, outcome, http_status, attempts, cache, error_kind, biocore_version, model_name, model_version, policy_id, status_code, summary, guardrails
         from biocore_call where mass_request_id = $1`,
      [massId],
    );
    const recs = await client.query(
      `select rec_id, priority, category, action, expected_impact, explainability, trace - 'generated_at_utc' as trace,
              model_name, model_version, policy_id, stale, actionable, violations, energy_kwh_24h, status
         from recommendation where mass_request_id = $1 order by rec_id`,
      [massId],
    );
    const audit = await client.query(
      `select a.action, a.actor_type, a.actor_label, a.result, a.biocore_version, a.inputs - 'mass_request_id' - 'job_id' as inputs,
              a.outputs - 'call_id' - 'latency_ms' - 'trace_id' as outputs
         from audit_event a
        where (a.action = 'biocore.call' and a.target_id = $1::text)
           or (a.action = 'recommendation.create' and a.target_id in (select id::text from recommendation where mass_request_id = $1::uuid))
        order by a.action, a.outputs->>'rec_id'`,
      [massId],
    );
    return { calls: calls.rows, recommendations: recs.rows, audit: audit.rows };
  }

  it("serves the reference engine itself: the web server answers no /api/biocore-reference request, and the recommendations are the inline worker's", async () => {
    const doc = enterprise();
    const id = await ingest(doc);
    await eventually("the job to be done", async () => (await jobStatus(id)) === "done");

    // The same document to the shared test server, whose worker runs inline and asks the
    // reference engine its own routes serve.
    const inline = await call("/api/v1/mass/generate", { token: await adminToken(), body: doc });
    expect(inline.status).toBe(201);
    const inlineId = ((await inline.json()) as { id: string }).id;
    const shared = new pg.Client({ connectionString: inject("databaseUrl") });
    await shared.connect();
    try {
      await eventually(
        "the inline job to be done",
        async () =>
          (await shared.query("select status from recommendation_job where mass_request_id = $1", [inlineId])).rows[0]
            ?.status === "done",
      );
      const here = await storedAnswer(db, id);
      const there = await storedAnswer(shared, inlineId);
      expect(here.calls).toEqual([
        expect.objectContaining({
          engine: "reference",
          outcome: "ok",
          http_status: 200,
          cache: "miss",
          biocore_version: expect.stringMatching(/\S/),
        }),
      ]);
      expect(here.recommendations.length).toBeGreaterThan(0);
      expect(here.audit).toHaveLength(here.recommendations.length + 1);
      expect(here).toEqual(there);
    } finally {
      await shared.end();
    }

    // Every job of this file (this one, and those of the tests before) was answered by the worker's
    // own engine: its latency samples say so (since its restart above: 12 jobs and this one), and
    // the web server has none for the engine's routes.
    const web = await samplesByRoute(`${app.baseUrl}/api/metrics`);
    expect(web.get("/api/v1/mass/generate")).toBeGreaterThanOrEqual(14);
    expect([...web.keys()].filter((route) => route.startsWith("/api/biocore-reference"))).toEqual([]);
    const worker = await samplesByRoute(`http://127.0.0.1:${metricsPort}/api/metrics`);
    expect(worker.get("/api/biocore-reference/recommend")).toBeGreaterThanOrEqual(13);
    expect(worker.get("/api/biocore-reference/version")).toBeGreaterThanOrEqual(1);
  });

  it("stops on SIGTERM and hands back the jobs it claimed", async () => {
    const w = app.worker()!;
    const exited = new Promise<number | null>((r) => w.once("exit", (code) => r(code)));
    w.kill("SIGTERM");
    expect(await exited).toBe(0);
    const running = await db.query("select count(*)::int as n from recommendation_job where status = 'running'");
    expect(running.rows[0].n).toBe(0);
    await app.startWorker();
  });
});
