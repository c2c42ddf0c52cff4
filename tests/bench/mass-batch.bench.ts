// POST /api/v1/mass/batch against a production build: batches of 1,000 MASS Simple documents
// (one reading each) from 1, 2 and 4 connections, then — in the same run, as the anchor — the
// same rows inserted with bare multi-row INSERTs (1,000 rows a statement, no index) into a
// scratch table shaped like `observation`, from as many connections.
//
// Each connection is a collector of its own site: 10 series (clusters) × 100 one-minute readings
// per batch, each batch continuing where the previous one ended (≈ 2 hours of each series).
// BENCH_SECONDS (default 15) per step; BENCH_WORKER=false turns the recommendation worker off
// (it is on by default, as in production: every stored reading queues a job).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { admin, benchAuth, ADMIN_URL, benchServerEnv, benchTarget, percentile, startServer } from "./support";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,2,4").split(",").map(Number);
const PER_BATCH = 1_000;
const SERIES = 10;
const START = Date.UTC(2026, 0, 1);

type Reading = {
  site: string;
  cluster: string;
  at: Date;
  it: number;
  facility: number;
  chiller: number;
  inlet: number;
};

/** The next batch of one collector: SERIES clusters × PER_BATCH / SERIES minutes, from minute `from`. */
function readings(site: string, from: number): Reading[] {
  const out: Reading[] = [];
  for (let m = 0; m < PER_BATCH / SERIES; m++) {
    for (let s = 0; s < SERIES; s++) {
      const minute = from + m;
      out.push({
        site,
        cluster: `c${s}`,
        at: new Date(START + minute * 60_000),
        it: 800 + ((minute * 7 + s) % 200),
        facility: 1100 + ((minute * 11 + s) % 300),
        chiller: 200 + (minute % 50),
        inlet: 22 + (minute % 40) / 10,
      });
    }
  }
  return out;
}

function batchBody(rs: Reading[]): string {
  return JSON.stringify(
    rs.map((r) => ({
      idempotency_key: `bench-${randomUUID()}`,
      payload: {
        tenant_id: "bench",
        site_id: r.site,
        cluster_id: r.cluster,
        timestamp_utc: r.at.toISOString(),
        interval_seconds: 60,
        it_load_kw: r.it,
        facility_power_kw: r.facility,
        chiller_kw: r.chiller,
        avg_rack_inlet_c: r.inlet,
      },
    })),
  );
}

type Step = { readings: number; failed: number; perSecond: number; p50: number; p99: number };

async function run(connections: number, batch: (conn: number, n: number) => Promise<number>): Promise<Step> {
  const latencies: number[] = [];
  let readingsDone = 0;
  let failed = 0;
  const started = performance.now();
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, conn) => {
      for (let n = 0; Date.now() < end; n++) {
        const t = performance.now();
        const stored = await batch(conn, n);
        if (stored === PER_BATCH) {
          latencies.push(performance.now() - t);
          readingsDone += stored;
        } else failed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    readings: readingsDone,
    failed,
    perSecond: readingsDone / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

const OBS_COLUMNS = [
  "tenant_id",
  "site_id",
  "cluster_id",
  "interval_start",
  "interval_end",
  "it_load_kw",
  "facility_power_kw",
  "chiller_kw",
  "avg_rack_inlet_c",
];

async function main(): Promise<void> {
  const { name, url, port, password } = await benchTarget();
  const env = benchServerEnv(
    { url, port, password },
    {
      RATE_LIMIT_API_PER_MINUTE: "10000000",
      RATE_LIMIT_IP_PER_MINUTE: "10000000",
      DATABASE_POOL_MAX: "20",
      DEMO_DATA: "false",
      BIOCORE_WORKER: process.env.BENCH_WORKER ?? "true",
    },
  );
  const { stop } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: Math.max(...CONNECTIONS) });
  try {
    const headers = await benchAuth(base, password);
    // Each step's collectors send their own sites; minutes continue from batch to batch.
    let step = 0;
    const api = async (conn: number, n: number) => {
      const res = await fetch(`${base}/api/v1/mass/batch`, {
        method: "POST",
        headers,
        body: batchBody(readings(`s${step}-${conn}`, n * (PER_BATCH / SERIES))),
      });
      const body = (await res.json()) as { summary?: { created: number } };
      if (res.status !== 200) console.error(res.status, JSON.stringify(body).slice(0, 500));
      return body.summary?.created ?? 0;
    };
    // Warm-up: compile the route, fill the pools.
    step = -1;
    for (let n = 0; n < 3; n++) await api(0, n);

    await pool.query(`create table bench_scratch (like observation including defaults)`);
    const bare = async (conn: number, n: number) => {
      const rs = readings(`s${step}-${conn}`, n * (PER_BATCH / SERIES));
      const values: unknown[] = [];
      const tuples = rs.map((r, i) => {
        values.push(
          "bench",
          r.site,
          r.cluster,
          r.at,
          new Date(r.at.getTime() + 60_000),
          r.it,
          r.facility,
          r.chiller,
          r.inlet,
        );
        return `(${OBS_COLUMNS.map((_, c) => `$${i * OBS_COLUMNS.length + c + 1}`).join(", ")})`;
      });
      const res = await pool.query(
        `insert into bench_scratch (${OBS_COLUMNS.join(", ")}) values ${tuples.join(", ")}`,
        values,
      );
      return res.rowCount ?? 0;
    };

    const load = async () =>
      (await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
    const rows: string[] = [];
    for (const connections of CONNECTIONS) {
      step += 1;
      const before = await load();
      const a = await run(connections, api);
      step += 1;
      const b = await run(connections, bare);
      rows.push(
        `| ${connections} | ${Math.round(a.perSecond).toLocaleString("en-US")} | ${a.p50.toFixed(0)} | ${a.p99.toFixed(0)} | ${a.failed} | ${Math.round(b.perSecond).toLocaleString("en-US")} | ${(a.perSecond / b.perSecond).toFixed(2)} | ${before} → ${await load()} |`,
      );
      console.log(rows[rows.length - 1]);
    }
    const jobs = await pool.query<{ status: string; n: number }>(
      "select status, count(*)::int as n from recommendation_job group by status order by status",
    );
    const observations = await pool.query<{ n: number }>("select count(*)::int as n from observation");
    console.log(
      `\nMASS batch (${PER_BATCH} Simple documents a batch, ${SERIES} series × ${PER_BATCH / SERIES} one-minute readings; ${SECONDS} s a step; worker ${env.BIOCORE_WORKER}; PostgreSQL at ${new URL(ADMIN_URL).host})\n`,
    );
    console.log(
      "| connections | API readings/s | p50 ms | p99 ms | failed batches | bare multi-row INSERT rows/s | API / bare | load average (1, 5, 15 min) before → after |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|---:|---|");
    for (const r of rows) console.log(r);
    console.log(
      `\nobservations stored: ${observations.rows[0]!.n.toLocaleString("en-US")}; recommendation jobs: ${jobs.rows.map((j) => `${j.status} ${j.n}`).join(", ")}`,
    );
  } finally {
    await pool.end();
    await stop();
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
