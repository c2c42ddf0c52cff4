// Dashboard at scale: BENCH_DASHBOARD_ROWS observations (default 10,000,000: the demo generator at
// 2 sites × 6 clusters over many years) loaded with the CSV loader, then p50/p95 of the KPI and trend
// API calls, of the overview page's server render (signed in) and of the before/after comparison,
// and the observations CSV export's rows/s with the server's peak RSS.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { admin, benchAuth, ADMIN_URL, benchServerEnv, percentile, rssKb, startServer } from "./support";
import { freePort } from "@/lib/net/free-port";
import { signIn } from "../support/sign-in";

const ROWS = Number(process.env.BENCH_DASHBOARD_ROWS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

async function timed(label: string, run: () => Promise<Response>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t = performance.now();
    const res = await run();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${label}: ${res.status}`);
    if (i >= 2) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `| ${label} | ${percentile(times, 0.5).toFixed(0)} | ${percentile(times, 0.95).toFixed(0)} |`;
}

/**
 * BENCH_DASHBOARD_DB=<name> times the calls on a database a run with BENCH_KEEP_DB=1 loaded (its
 * name printed at the end; its admin password kept in a 0600 file beside it in the temp directory),
 * skipping generation and load: the timings can then be taken on a quiet machine, or before and
 * after a change, on the same data.
 */
const REUSE = process.env.BENCH_DASHBOARD_DB;
const passwordFile = (db: string) => join(tmpdir(), `${db}.bench-password`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pib-bench-dash-"));
  const file = join(dir, "big.csv");
  let bytes = 0;
  if (!REUSE) {
    const gen = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/demo-data.ts", "--out", file, "--rows", String(ROWS)],
      { encoding: "utf8" },
    );
    if (gen.status !== 0) throw new Error(gen.stderr);
    bytes = statSync(file).size;
  }
  const name = REUSE ?? `pib_bench_${randomBytes(4).toString("hex")}`;
  if (!REUSE) await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const port = await freePort();
  const password = REUSE
    ? readFileSync(passwordFile(REUSE), "utf8").trim()
    : `Bench-${randomBytes(9).toString("base64url")}`;
  const env = benchServerEnv(
    { url: url.toString(), port, password },
    {
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      DEMO_DATA: "false",
      DATASET_MAX_BYTES: String(8 * 1024 * 1024 * 1024),
      RATE_LIMIT_API_PER_MINUTE: "100000",
      RATE_LIMIT_IP_PER_MINUTE: "100000",
    },
  );
  const { server, stop } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  try {
    // Loaded with `npm run dataset:load` (the same loader as an upload): an upload is loaded as it
    // arrives, and a gigabyte takes longer than Node's default 5-minute request timeout allows.
    const t0 = performance.now();
    const c = new pg.Client({ connectionString: url.toString() });
    let loaded: { version: { row_count: number } };
    if (!REUSE) {
      const load = spawnSync(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", "scripts/dataset-load.ts", file, "--name", "bench"],
        { env, encoding: "utf8", maxBuffer: 1 << 24 },
      );
      if (load.status !== 0) throw new Error(`dataset:load ${load.status}: ${load.stderr.slice(-2000)}`);
      loaded = { version: { row_count: (JSON.parse(load.stdout) as { rows: number }).rows } };
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    await c.connect();
    if (REUSE)
      loaded = { version: { row_count: Number((await c.query("select count(*) as n from observation")).rows[0].n) } };
    await c.query("vacuum analyze observation, observation_rollup_hour, observation_rollup_day");
    await c.end();

    // The access token after the load: a load of tens of millions of rows outlasts its lifetime.
    const { Authorization } = await benchAuth(base, password);
    const auth = { Authorization };
    // A dashboard session, as the browser gets it.
    const session = await signIn(base, "bench@pilot.test", password);

    const lines = [
      await timed("GET /api/v1/kpi (30 days)", () => fetch(`${base}/api/v1/kpi?period=30d`, { headers: auth })),
      await timed("GET /api/v1/kpi (12 months)", () => fetch(`${base}/api/v1/kpi?period=12m`, { headers: auth })),
      await timed("GET /api/v1/kpi/trends (12 months, 400 points)", () =>
        fetch(`${base}/api/v1/kpi/trends?period=12m`, { headers: auth }),
      ),
      await timed("GET /api/v1/kpi/trends (30 days, one cluster)", () =>
        fetch(`${base}/api/v1/kpi/trends?period=30d&site_id=mad1&cluster_id=c01`, { headers: auth }),
      ),
      await timed("GET / (overview render, 30 days)", () => fetch(`${base}/`, { headers: { Cookie: session } })),
      await timed("GET /api/v1/kpi/compare (14 days either side of the latest setpoint change)", () =>
        fetch(`${base}/api/v1/kpi/compare`, { headers: auth }),
      ),
    ];
    const baseline = rssKb(server.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid!))), 100);
    const t1 = performance.now();
    const exported = await fetch(`${base}/api/v1/observations/export.csv?period=12m`, { headers: auth });
    if (exported.status !== 200) throw new Error(`export ${exported.status}`);
    let exportedRows = -1;
    const reader = exported.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const byte of value) if (byte === 10) exportedRows += 1;
    }
    const exportSeconds = (performance.now() - t1) / 1000;
    clearInterval(sampler);

    const source = REUSE
      ? `database ${name}, loaded before`
      : `${(bytes / 1e9).toFixed(2)} GB CSV loaded in ${loadSeconds.toFixed(0)} s`;
    console.log(
      `\nDashboard at ${loaded!.version.row_count.toLocaleString("en")} observations (${source}), ${RUNS} runs each\n`,
    );
    console.log("| call | p50 ms | p95 ms |\n|---|---:|---:|");
    for (const l of lines) console.log(l);
    console.log(
      `\nCSV export: ${exportedRows.toLocaleString("en")} rows in ${exportSeconds.toFixed(1)} s = ${Math.round(exportedRows / exportSeconds).toLocaleString("en")} rows/s; server RSS ${(baseline / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB peak`,
    );
  } finally {
    await stop();
    // BENCH_KEEP_DB=1 keeps the loaded database for EXPLAIN (its name is printed); drop it by hand.
    if (process.env.BENCH_KEEP_DB === "1" || REUSE) {
      writeFileSync(passwordFile(name), password, { mode: 0o600 });
      console.log(`kept database ${name} (BENCH_DASHBOARD_DB=${name} times it again)`);
    } else await admin(`drop database if exists "${name}" with (force)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
