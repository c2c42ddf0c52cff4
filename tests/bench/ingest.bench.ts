// POST /api/v1/mass/generate against a production build: 16 connections for 20 s with unique
// keys, then the same normalized documents inserted with a bare pg client (the floor the database
// sets), and the ratio between the two. Then growth (BENCH_GROWTH=0 skips it): the same route into
// a series that holds 100,000 MASS rows (one day, every 5-minute interval resent ~347 times) and
// into an empty one, each with requests resending that day's intervals (each replaces the current
// reading) and with requests for new intervals.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { ADMIN_URL, admin, percentile, startServer } from "./support";
import { freePort } from "@/lib/net/free-port";
import { insertDaySql, insertHourSql, liveMassSql } from "@/lib/rollups/measures";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const GROWTH = process.env.BENCH_GROWTH !== "0";
const SEED_ROWS = Number(process.env.BENCH_SEED_ROWS ?? 100_000);
const DAY = Date.parse("2026-11-20T00:00:00Z");
const FIVE_MINUTES = 300_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as { request: Record<string, unknown> };

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
  d.request.time_window = { start_utc: new Date(start).toISOString(), end_utc: new Date(start + FIVE_MINUTES).toISOString(), granularity_seconds: 300 };
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
    await c.query(insertDaySql(`r.dataset_version_id is null and ${series.replaceAll("o.", "r.")}`, `${liveMassSql("o")} and ${series}`));
    await c.query("analyze observation");
    await c.query("analyze observation_rollup_hour");
    await c.query("analyze observation_rollup_day");
  } finally {
    await c.end();
  }
}

async function load(work: () => Promise<boolean>): Promise<{ ok: number; failed: number; perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const ok = await work();
        if (ok) latencies.push(performance.now() - t);
        else failed += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { ok: latencies.length, failed, perSecond: latencies.length / SECONDS, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function main(): Promise<void> {
  const name = `pib_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const port = await freePort();
  const password = `Bench-${randomBytes(9).toString("base64url")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url.toString(),
    PORT: String(port),
    HOST: "127.0.0.1",
    AUTH_SECRET: randomBytes(48).toString("base64url"),
    AUDIT_HMAC_KEY: randomBytes(48).toString("base64url"),
    ADMIN_EMAIL: "bench@pilot.test",
    ADMIN_PASSWORD: password,
    RATE_LIMIT_API_PER_MINUTE: "10000000",
    RATE_LIMIT_IP_PER_MINUTE: "10000000",
    LOG_LEVEL: "warn",
    DATABASE_POOL_MAX: "20",
  };
  const { stop } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  try {
    const tokenRes = await fetch(`${base}/api/v1/auth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "bench@pilot.test", password }) });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
    // Warm-up: compile routes, fill pools.
    for (let i = 0; i < 50; i++) await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(doc()) }).then((r) => r.arrayBuffer());
    const api = await load(async () => {
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
    const sample = (await (await fetch(`${base}/api/v1/mass?limit=1`, { headers })).json()) as { items: { id: string }[] };
    const detail = (await (await fetch(`${base}/api/v1/mass/${sample.items[0]!.id}`, { headers })).json()) as { raw: unknown; normalized: unknown };
    const pool = new pg.Pool({ connectionString: url.toString(), max: CONNECTIONS });
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
      for (const [series, zone] of [["empty", "grow-empty"], [`${SEED_ROWS.toLocaleString("en")} rows`, "grow-full"]] as const) {
        let resend = 0;
        growth.push({
          series,
          workload: "resend the day's intervals",
          r: await load(async () => {
            const start = DAY + (resend++ % 288) * FIVE_MINUTES;
            const res = await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(growthDoc(zone, start)) });
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
            const res = await fetch(`${base}/api/v1/mass/generate`, { method: "POST", headers, body: JSON.stringify(growthDoc(zone, start)) });
            await res.arrayBuffer();
            return res.status === 201;
          }),
        });
      }
    }
    const f = (n: number) => n.toFixed(1);
    console.log(`\nIngest (${CONNECTIONS} connections, ${SECONDS} s each, PostgreSQL at ${new URL(ADMIN_URL).host})\n`);
    console.log("| path | requests | failed | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|");
    console.log(`| POST /api/v1/mass/generate | ${api.ok} | ${api.failed} | ${Math.round(api.perSecond)} | ${f(api.p50)} | ${f(api.p99)} |`);
    console.log(`| POST /api/v1/mass/validate (no storage) | ${validate.ok} | ${validate.failed} | ${Math.round(validate.perSecond)} | ${f(validate.p50)} | ${f(validate.p99)} |`);
    console.log(`| bare pg insert | ${bare.ok} | ${bare.failed} | ${Math.round(bare.perSecond)} | ${f(bare.p50)} | ${f(bare.p99)} |`);
    console.log(`\nAPI / bare insert throughput: ${(api.perSecond / bare.perSecond).toFixed(2)} (goal ≥ 0.33, p99 < 50 ms)`);
    if (growth.length) {
      console.log(`\nGrowth: POST /api/v1/mass/generate into one series (${CONNECTIONS} connections, ${SECONDS} s each)\n`);
      console.log("| series holds | requests | requests | failed | req/s | p50 ms | p99 ms |\n|---|---|---:|---:|---:|---:|---:|");
      for (const g of growth) console.log(`| ${g.series} | ${g.workload} | ${g.r.ok} | ${g.r.failed} | ${Math.round(g.r.perSecond)} | ${f(g.r.p50)} | ${f(g.r.p99)} |`);
    }
  } finally {
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
