// POST /api/v1/mass/generate against a production build, 16 connections for 20 s each: 16
// collectors (one zone each) sending their next 5-minute interval, then the contract's example as is
// (new keys, one series and interval: every request replaces the current reading), then the
// validate route (no storage), then the same normalized documents inserted with a bare pg client
// (the floor the database sets). Each row also gives the CPU each request cost the server, the
// database and the load generator (robust to a busy machine, where throughput is not). Then growth (BENCH_GROWTH=0 skips it): the same route into
// a series that holds 100,000 MASS rows (one day, every 5-minute interval resent ~347 times) and
// into an empty one, each with requests resending that day's intervals (each replaces the current
// reading) and with requests for new intervals. Then the recommendation worker's cost to ingestion
// (BENCH_WORKER_MODES=off,process,inline, in that order; empty skips it): the same route, each mode
// on a fresh database and server, 16 collectors' new intervals — "off" (BIOCORE_WORKER=false),
// "process" (the worker in its own process, as `npm start` runs it), "inline" (in the server
// process) — with the CPU per request of the server, the worker and PostgreSQL, the jobs done
// during the load, and the time and CPU the queue took to drain after it. BENCH_WORKER sets the mode of the first
// part (default "process", as `npm start`); BENCH_ROUTES=0 skips that part (routes and growth).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import {
  admin,
  benchAuth,
  ADMIN_URL,
  backendPids,
  benchServerEnv,
  benchTarget,
  cpuMs,
  percentile,
  startServer,
} from "./support";
import { insertDaySql, insertHourSql, liveMassSql } from "@/lib/rollups/measures";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const GROWTH = process.env.BENCH_GROWTH !== "0";
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 100_000);
const DAY = Date.parse("2026-11-20T00:00:00Z");
const FIVE_MINUTES = 300_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WORKER = process.env.BENCH_WORKER ?? "process";
const WORKER_MODES = (process.env.BENCH_WORKER_MODES ?? "off,process,inline")
  .split(",")
  .map((m) => m.trim())
  .filter(Boolean);
const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as {
  request: Record<string, unknown>;
};

function doc(): unknown {
  const d = structuredClone(example);
  const id = randomUUID();
  d.request.idempotency_key = `bench-${id}`;
  d.request.request_id = `bench-${id}`;
  return d;
}

/** A document for zone `zone` of the example's cluster, for the 5-minute interval starting at `start`. */
function growthDoc(zone: string, start: number): unknown {
  const d = doc() as { request: Record<string, unknown> & { assets: Record<string, unknown> } };
  d.request.assets = { ...d.request.assets, zone_id: zone };
  d.request.time_window = {
    start_utc: new Date(start).toISOString(),
    end_utc: new Date(start + FIVE_MINUTES).toISOString(),
    granularity_seconds: 300,
  };
  return d;
}

/**
 * Stores `rows` MASS observations (and their requests) in zone `zone` as the app would have: the
 * day's 288 five-minute intervals, each repeated, all but the latest reading of each superseded,
 * and the series' rollups computed from the live rows.
 */
async function seedSeries(url: string, zone: string, rows: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The day's monthly partition, as the app's writers make it (lib/observations/partitions.ts).
    await c.query("select ensure_observation_months($1, $1)", [new Date(DAY)]);
    await c.query(
      `with seed as (select n, gen_random_uuid() as id from generate_series(1, $2::int) n),
            requests as (insert into mass_request (id, kind, schema_version, tenant_id, site_id, facility_id, cluster_id, zone_id, correlation_id, request_id, idempotency_key, principal_key, payload_hash, raw, normalized, warnings, response_status, response_body, created_by_type, created_by_id, received_at, normalized_at, updated_at)
                  select id, 'enterprise', '1.1', 'acme-cloud', 'mad1', 'mad1-f1', 'c07', $1, 'seed', 'seed-' || n, 'seed-' || $1 || '-' || n, 'seed', 'h', '{}', '{}', '[]', 201, '{}', 'user', 'seed', now(), now(), now() from seed
                  returning id)
       insert into observation (tenant_id, site_id, facility_id, cluster_id, zone_id, interval_start, interval_end, mass_request_id, interval_seconds, it_load_kw, facility_power_kw, energy_price_per_kwh, currency, avg_rack_inlet_c, p95_rack_inlet_c, hotspot_rack_count, cooling_setpoint_c, chiller_kw, fan_power_kw)
       select 'acme-cloud', 'mad1', 'mad1-f1', 'c07', $1, $3::timestamptz + (n % 288) * interval '5 minutes', $3::timestamptz + (n % 288 + 1) * interval '5 minutes', id, 300,
              1800 + n % 97, 2500 + n % 89, 0.142, 'EUR', 22 + (n % 13) / 10.0, 25 + (n % 17) / 8.0, n % 3, 18, 400 + n % 31, 96
         from seed order by n`,
      [zone, rows, new Date(DAY)],
    );
    await c.query(
      `update observation o set superseded_at = now()
         from (select id, row_number() over (partition by interval_start order by id desc) as n from observation where zone_id = $1 and dataset_version_id is null) x
        where x.id = o.id and x.n > 1`,
      [zone],
    );
    const series = `o.tenant_id = 'acme-cloud' and o.site_id = 'mad1' and o.facility_id = 'mad1-f1' and o.cluster_id = 'c07' and o.zone_id = '${zone}'`;
    await c.query(insertHourSql(`${liveMassSql("o")} and ${series}`));
    await c.query(
      insertDaySql(
        `r.dataset_version_id is null and ${series.replaceAll("o.", "r.")}`,
        `${liveMassSql("o")} and ${series}`,
      ),
    );
    await c.query("analyze observation");
    await c.query("analyze observation_rollup_hour");
    await c.query("analyze observation_rollup_day");
  } finally {
    await c.end();
  }
}

type Load = {
  ok: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpu: { server: number; database: number; client: number } | null;
};
/** Where CPU is counted during a load: the server process and the database's backends (null: not counted). */
let counted: { server: number; database: string } | null = null;

async function load(work: (connection: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  // CPU per request, robust to a busy machine (throughput is not): server, PostgreSQL backends, this client.
  // Backends found at the start and at the end (a connection opened during the run counts from zero).
  const startPids = counted ? await backendPids(counted.database) : [];
  const before = counted
    ? {
        server: cpuMs([counted.server]),
        database: new Map(startPids.map((p) => [p, cpuMs([p])])),
        client: process.cpuUsage(),
      }
    : null;
  let failed = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, connection) => {
      while (Date.now() < end) {
        const t = performance.now();
        const ok = await work(connection);
        if (ok) latencies.push(performance.now() - t);
        else failed += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const n = Math.max(1, latencies.length + failed);
  let cpu: Load["cpu"] = null;
  if (counted && before) {
    const client = process.cpuUsage(before.client);
    const pids = new Set([...startPids, ...(await backendPids(counted.database))]);
    const database = [...pids].reduce((sum, p) => sum + cpuMs([p]) - (before.database.get(p) ?? 0), 0);
    cpu = {
      server: (cpuMs([counted.server]) - before.server) / n,
      database: database / n,
      client: (client.user + client.system) / 1000 / n,
    };
  }
  return {
    ok: latencies.length,
    failed,
    perSecond: latencies.length / SECONDS,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    cpu,
  };
}

/** The server's settings for a worker mode: off, process (own process) or inline (in the server). */
function workerEnv(mode: string): Record<string, string> {
  if (mode === "off") return { WORKER_MODE: "inline", BIOCORE_WORKER: "false" };
  if (mode === "process" || mode === "inline") return { WORKER_MODE: mode, BIOCORE_WORKER: "true" };
  throw new Error(`unknown worker mode ${mode}: off, process or inline`);
}

function serverEnv(url: string, port: number, password: string, mode: string): NodeJS.ProcessEnv {
  return benchServerEnv(
    { url, port, password },
    {
      RATE_LIMIT_API_PER_MINUTE: "10000000",
      RATE_LIMIT_IP_PER_MINUTE: "10000000",
      DATABASE_POOL_MAX: "20",
      ...workerEnv(mode),
    },
  );
}

type ModeResult = {
  mode: string;
  r: Load;
  /** CPU ms per request of the worker process during the load, and of server + worker while the queue drained after it. */
  workerCpu: number | null;
  drainCpu: number | null;
  doneDuring: number;
  queued: number;
  drainSeconds: number | null;
  loadBefore: number;
  loadAfter: number;
};

/** One worker mode on a fresh database and server: 16 collectors' new intervals, then the queue. */
async function workerRun(mode: string): Promise<ModeResult> {
  const { name, url, port, password } = await benchTarget();
  const { server, worker, stop } = await startServer(serverEnv(url.toString(), port, password, mode));
  counted = { server: server.pid!, database: name };
  const jobs = new pg.Client({ connectionString: url.toString() });
  await jobs.connect();
  const counts = async () =>
    (
      await jobs.query<{ done: number; open: number }>(
        "select count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'done')::int as open from recommendation_job",
      )
    ).rows[0]!;
  try {
    const base = `http://127.0.0.1:${port}`;
    const headers = await benchAuth(base, password);
    for (let i = 0; i < 50; i++)
      await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(doc()) }).then((r) =>
        r.arrayBuffer(),
      );
    // Start from an empty queue (the warm-up's jobs done, or dropped when no worker runs).
    const settle = Date.now() + 30_000;
    while (mode !== "off" && (await counts()).open > 0 && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 200));
    await jobs.query("delete from recommendation_job");
    const loadBefore = loadavg()[0]!;
    const workerBefore = worker ? cpuMs([worker.pid!]) : 0;
    const sent = new Array<number>(CONNECTIONS).fill(0);
    const r = await load(async (connection) => {
      const body = JSON.stringify(
        growthDoc(`collector-${connection}`, DAY + 2 * 86_400_000 + sent[connection]!++ * FIVE_MINUTES),
      );
      const res = await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body });
      await res.arrayBuffer();
      return res.status === 201;
    });
    const loadAfter = loadavg()[0]!;
    const requests = Math.max(1, r.ok + r.failed);
    const workerAfter = worker ? cpuMs([worker.pid!]) : 0;
    const after = await counts();
    let drainSeconds: number | null = null;
    let drainCpu: number | null = null;
    if (mode !== "off") {
      const t = performance.now();
      const cpuBefore = cpuMs([server.pid!, ...(worker ? [worker.pid!] : [])]);
      const end = Date.now() + 120_000;
      while ((await counts()).open > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
      if ((await counts()).open === 0) drainSeconds = (performance.now() - t) / 1000;
      drainCpu = (cpuMs([server.pid!, ...(worker ? [worker.pid!] : [])]) - cpuBefore) / requests;
    }
    const workerCpu = worker ? (workerAfter - workerBefore) / requests : null;
    return {
      mode,
      r,
      workerCpu,
      drainCpu,
      doneDuring: after.done,
      queued: after.open,
      drainSeconds,
      loadBefore,
      loadAfter,
    };
  } finally {
    counted = null;
    await jobs.end();
    await stop();
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

async function routesAndGrowth(): Promise<void> {
  const { name, url, port, password } = await benchTarget();
  const env = serverEnv(url.toString(), port, password, WORKER);
  const { server, stop } = await startServer(env);
  counted = { server: server.pid!, database: name };
  const base = `http://127.0.0.1:${port}`;
  try {
    const headers = await benchAuth(base, password);
    // Warm-up: compile routes, fill pools.
    for (let i = 0; i < 50; i++)
      await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(doc()) }).then((r) =>
        r.arrayBuffer(),
      );
    // Collectors: each connection one zone's collector sending its next 5-minute interval.
    const sent = new Array<number>(CONNECTIONS).fill(0);
    const api = await load(async (connection) => {
      const body = JSON.stringify(
        growthDoc(`collector-${connection}`, DAY + 2 * 86_400_000 + sent[connection]!++ * FIVE_MINUTES),
      );
      const res = await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body });
      await res.arrayBuffer();
      return res.status === 201;
    });
    // The contract's example as is: every request (a new key) resends the same interval of one series,
    // so each replaces the current reading and recomputes that hour and day, one writer at a time.
    const storm = await load(async () => {
      const res = await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(doc()) });
      await res.arrayBuffer();
      return res.status === 201;
    });
    // The same request path without storage (body guards, four validation layers, normalization):
    // tells the cost of reading and checking a document apart from the cost of storing it.
    const validate = await load(async () => {
      const res = await fetch(`${base}/api/v1/mass/validate`, { method: "POST", headers, body: JSON.stringify(doc()) });
      await res.arrayBuffer();
      return res.status === 200;
    });

    // The floor: the same normalized documents, one insert each, from a bare pg pool.
    const sample = (await (await fetch(`${base}/api/v1/mass?limit=1`, { headers })).json()) as {
      items: { id: string }[];
    };
    const detail = (await (await fetch(`${base}/api/v1/mass/${sample.items[0]!.id}`, { headers })).json()) as {
      raw: unknown;
      normalized: unknown;
    };
    const pool = new pg.Pool({ connectionString: url.toString(), max: CONNECTIONS });
    await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.query("select pg_sleep(0.05)")));
    const bare = await load(async () => {
      const id = randomUUID();
      await pool.query(
        `insert into mass_request (id, kind, schema_version, tenant_id, site_id, correlation_id, request_id, idempotency_key, principal_key, payload_hash, raw, normalized, warnings, response_status, response_body, created_by_type, created_by_id, received_at, normalized_at, updated_at)
         values ($1::uuid, 'enterprise', '1.1', 'acme-cloud', 'mad1', 'corr', $4, $4, 'bench', 'h', $2, $3, '[]', 201, '{}', 'user', 'bench', now(), now(), now())`,
        [id, JSON.stringify(detail.raw), JSON.stringify(detail.normalized), id],
      );
      return true;
    });
    await pool.end();

    // Growth: a series holding SEED_ROWS rows against an empty one.
    const growth: { series: string; workload: string; r: Awaited<ReturnType<typeof load>> }[] = [];
    if (GROWTH) {
      await seedSeries(url.toString(), "grow-full", SEED_ROWS);
      for (const [series, zone] of [
        ["empty", "grow-empty"],
        [`${SEED_ROWS.toLocaleString("en")} rows`, "grow-full"],
      ] as const) {
        let resend = 0;
        growth.push({
          series,
          workload: "resend the day's intervals",
          r: await load(async () => {
            const start = DAY + (resend++ % 288) * FIVE_MINUTES;
            const res = await fetch(`${base}/api/v1/mass/generate`, {
              method: "POST",
              headers,
              body: JSON.stringify(growthDoc(zone, start)),
            });
            await res.arrayBuffer();
            return res.status === 201;
          }),
        });
        let next = 0;
        growth.push({
          series,
          workload: "new intervals",
          r: await load(async () => {
            const start = DAY + 86_400_000 + next++ * FIVE_MINUTES;
            const res = await fetch(`${base}/api/v1/mass/generate`, {
              method: "POST",
              headers,
              body: JSON.stringify(growthDoc(zone, start)),
            });
            await res.arrayBuffer();
            return res.status === 201;
          }),
        });
      }
    }
    const f = (n: number) => n.toFixed(1);
    console.log(
      `\nIngest (${CONNECTIONS} connections, ${SECONDS} s each, worker ${WORKER}, PostgreSQL at ${new URL(ADMIN_URL).host})\n`,
    );
    const c = (r: Load) => (r.cpu ? `${f(r.cpu.server)} | ${f(r.cpu.database)} | ${f(r.cpu.client)}` : "– | – | –");
    console.log(
      "| path | requests | failed | req/s | p50 ms | p99 ms | CPU ms/request: server | PostgreSQL | load generator |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    console.log(
      `| POST /api/v1/mass/generate (${CONNECTIONS} collectors, new intervals) | ${api.ok} | ${api.failed} | ${Math.round(api.perSecond)} | ${f(api.p50)} | ${f(api.p99)} | ${c(api)} |`,
    );
    console.log(
      `| POST /api/v1/mass/generate (the example resent: one series and interval) | ${storm.ok} | ${storm.failed} | ${Math.round(storm.perSecond)} | ${f(storm.p50)} | ${f(storm.p99)} | ${c(storm)} |`,
    );
    console.log(
      `| POST /api/v1/mass/validate (no storage) | ${validate.ok} | ${validate.failed} | ${Math.round(validate.perSecond)} | ${f(validate.p50)} | ${f(validate.p99)} | ${c(validate)} |`,
    );
    console.log(
      `| bare pg insert | ${bare.ok} | ${bare.failed} | ${Math.round(bare.perSecond)} | ${f(bare.p50)} | ${f(bare.p99)} | ${c(bare)} |`,
    );
    console.log(`\nMachine load (1-minute average) at the end: ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`);
    console.log(
      `\nAPI / bare insert throughput: ${(api.perSecond / bare.perSecond).toFixed(2)} (goal ≥ 0.33, p99 < 50 ms)`,
    );
    if (growth.length) {
      console.log(
        `\nGrowth: POST /api/v1/mass/generate into one series (${CONNECTIONS} connections, ${SECONDS} s each)\n`,
      );
      console.log(
        "| series holds | requests | requests | failed | req/s | p50 ms | p99 ms | CPU ms/request: server | PostgreSQL | load generator |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      );
      for (const g of growth)
        console.log(
          `| ${g.series} | ${g.workload} | ${g.r.ok} | ${g.r.failed} | ${Math.round(g.r.perSecond)} | ${f(g.r.p50)} | ${f(g.r.p99)} | ${c(g.r)} |`,
        );
    }
  } finally {
    await stop();
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ROUTES !== "0") await routesAndGrowth();
  if (WORKER_MODES.length) {
    const results: ModeResult[] = [];
    for (const mode of WORKER_MODES) results.push(await workerRun(mode));
    const f = (n: number) => n.toFixed(1);
    const off = results.find((x) => x.mode === "off");
    const cpuOf = (x: ModeResult) =>
      x.r.cpu
        ? `${f(x.r.cpu.server)} | ${x.workerCpu === null ? "–" : f(x.workerCpu)} | ${f(x.r.cpu.database)}`
        : "– | – | –";
    console.log(
      `\nRecommendation worker: POST /api/v1/mass/generate, ${CONNECTIONS} collectors' new intervals, ${SECONDS} s, a fresh database and server per mode\n`,
    );
    console.log(
      "| worker | load 1 min before → after | requests | failed | req/s | vs off | p50 ms | p99 ms | CPU ms/request during the load: server | worker | PostgreSQL | jobs done during | queued at end | drained after s | drain CPU ms/request (server + worker) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const x of results) {
      const vs = off && x !== off ? `${Math.round((x.r.perSecond / off.r.perSecond) * 100)} %` : "";
      console.log(
        `| ${x.mode} | ${x.loadBefore.toFixed(1)} → ${x.loadAfter.toFixed(1)} | ${x.r.ok} | ${x.r.failed} | ${Math.round(x.r.perSecond)} | ${vs} | ${f(x.r.p50)} | ${f(x.r.p99)} | ${cpuOf(x)} | ${x.doneDuring} | ${x.queued} | ${x.drainSeconds === null ? "—" : f(x.drainSeconds)} | ${x.drainCpu === null ? "—" : f(x.drainCpu)} |`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
