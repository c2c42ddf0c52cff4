// POST /api/v1/mass/generate against a production build: 16 connections for 20 s with unique
// keys, then the same normalized documents inserted with a bare pg client (the floor the database
// sets), and the ratio between the two.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { ADMIN_URL, admin, percentile, startServer } from "./support";
import { freePort } from "@/lib/net/free-port";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8")) as { request: Record<string, unknown> };

function doc(): unknown {
  const d = structuredClone(example);
  const id = randomUUID();
  d.request.idempotency_key = `bench-${id}`;
  d.request.request_id = `bench-${id}`;
  return d;
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
    const f = (n: number) => n.toFixed(1);
    console.log(`\nIngest (${CONNECTIONS} connections, ${SECONDS} s each, PostgreSQL at ${new URL(ADMIN_URL).host})\n`);
    console.log("| path | requests | failed | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|");
    console.log(`| POST /api/v1/mass/generate | ${api.ok} | ${api.failed} | ${Math.round(api.perSecond)} | ${f(api.p50)} | ${f(api.p99)} |`);
    console.log(`| POST /api/v1/mass/validate (no storage) | ${validate.ok} | ${validate.failed} | ${Math.round(validate.perSecond)} | ${f(validate.p50)} | ${f(validate.p99)} |`);
    console.log(`| bare pg insert | ${bare.ok} | ${bare.failed} | ${Math.round(bare.perSecond)} | ${f(bare.p50)} | ${f(bare.p99)} |`);
    console.log(`\nAPI / bare insert throughput: ${(api.perSecond / bare.perSecond).toFixed(2)} (goal ≥ 0.33, p99 < 50 ms)`);
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
