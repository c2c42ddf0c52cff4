// What one stored row costs on disk, per source, for docs/SCALING.md's sizing table: on a fresh
// database behind a production build, the bytes (heap + indexes + TOAST, every partition) each table
// grows by when the app stores
//   - a CSV dataset (the demo generator's columns, BENCH_ROWCOST_CSV_ROWS rows, default 200,000),
//   - single MASS enterprise documents (BENCH_ROWCOST_SINGLES, default 2,000; 8 at a time),
//   - MASS Simple readings in batches of 1,000 (BENCH_ROWCOST_BATCHED, default 10,000),
// divided by the readings stored. Each phase is measured after a VACUUM, so dead versions of the
// rows it updated (a request's status, a job done) count once. The recommendation worker runs, as
// in production (its jobs and calls are part of a MASS reading's cost).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { admin, benchAuth, benchServerEnv, benchTarget, startServer } from "./support";

const CSV_ROWS = Number(process.env.BENCH_ROWCOST_CSV_ROWS ?? 200_000);
const SINGLES = Number(process.env.BENCH_ROWCOST_SINGLES ?? 2_000);
const BATCHED = Number(process.env.BENCH_ROWCOST_BATCHED ?? 10_000);

const TABLES = [
  "observation",
  "observation_rollup_hour",
  "observation_rollup_day",
  "mass_request",
  "recommendation_job",
  "biocore_call",
  "recommendation",
  "audit_event",
  "dataset_version",
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pib-bench-rowcost-"));
  const file = join(dir, "rows.csv");
  const gen = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/demo-data.ts", "--out", file, "--rows", String(CSV_ROWS)],
    { encoding: "utf8" },
  );
  if (gen.status !== 0) throw new Error(gen.stderr);
  const target = await benchTarget();
  const env = benchServerEnv(target, {
    DEMO_DATA: "false",
    DATASET_MAX_BYTES: String(2 * 1024 * 1024 * 1024),
    RATE_LIMIT_API_PER_MINUTE: "1000000",
    RATE_LIMIT_IP_PER_MINUTE: "1000000",
  });
  const { stop } = await startServer(env);
  const base = `http://127.0.0.1:${target.port}`;
  const db = new pg.Client({ connectionString: target.url });
  await db.connect();
  try {
    const { Authorization } = await benchAuth(base, target.password);
    const auth = { Authorization };

    /** Bytes of each table, partitions included. */
    const sizes = async (): Promise<Map<string, number>> => {
      await db.query("vacuum");
      const { rows } = await db.query<{ t: string; bytes: string }>(
        `select t, (pg_total_relation_size(t::regclass)
                  + coalesce((select sum(pg_total_relation_size(i.inhrelid)) from pg_inherits i where i.inhparent = t::regclass), 0))::text as bytes
           from unnest($1::text[]) t`,
        [TABLES],
      );
      return new Map(rows.map((r) => [r.t, Number(r.bytes)]));
    };
    const jobsDone = async () => {
      for (let i = 0; i < 3_000; i++) {
        const { rows } = await db.query(
          "select count(*)::int as n from recommendation_job where status in ('pending', 'running')",
        );
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const observations = async () => Number((await db.query("select count(*)::int as n from observation")).rows[0].n);
    const table: string[] = [];
    const measure = async (label: string, run: () => Promise<void>) => {
      const before = await sizes();
      const rowsBefore = await observations();
      const t0 = performance.now();
      await run();
      await jobsDone();
      const seconds = (performance.now() - t0) / 1000;
      const after = await sizes();
      const stored = (await observations()) - rowsBefore;
      const per = (t: string) => ((after.get(t)! - before.get(t)!) / stored / 1024).toFixed(2);
      const total = TABLES.reduce((s, t) => s + after.get(t)! - before.get(t)!, 0) / stored / 1024;
      table.push(
        `| ${label} | ${stored.toLocaleString("en")} | ${per("observation")} | ${(Number(per("observation_rollup_hour")) + Number(per("observation_rollup_day"))).toFixed(2)} | ${per("mass_request")} | ${(Number(per("recommendation_job")) + Number(per("biocore_call")) + Number(per("recommendation"))).toFixed(2)} | ${per("audit_event")} | **${total.toFixed(2)}** | ${seconds.toFixed(0)} |`,
      );
    };

    await measure(`CSV dataset (${(statSync(file).size / 1e6).toFixed(0)} MB)`, async () => {
      const res = await fetch(`${base}/api/v1/datasets?name=rowcost&on_error=strict`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "text/csv" },
        body: readFileSync(file),
      });
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    });

    const example = JSON.parse(readFileSync("lib/mass/examples/enterprise-request.json", "utf8"));
    const start = Date.UTC(2026, 6, 1);
    await measure("MASS single enterprise documents", async () => {
      let next = 0;
      const one = async (): Promise<void> => {
        for (let i = next++; i < SINGLES; i = next++) {
          const doc = structuredClone(example);
          const from = new Date(start + i * 300_000);
          doc.request.request_id = `rowcost-${i}`;
          doc.request.idempotency_key = `rowcost-single-${i}`;
          doc.request.timestamp_utc = from.toISOString();
          doc.request.time_window = {
            start_utc: from.toISOString(),
            end_utc: new Date(from.getTime() + 300_000).toISOString(),
            granularity_seconds: 300,
          };
          const res = await fetch(`${base}/api/v1/mass/generate`, {
            method: "POST",
            headers: { ...auth, "Content-Type": "application/json" },
            body: JSON.stringify(doc),
          });
          if (res.status !== 201) throw new Error(`single: ${res.status} ${await res.text()}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, one));
    });

    await measure("MASS Simple readings, batches of 1,000", async () => {
      for (let b = 0; b * 1_000 < BATCHED; b++) {
        const items = Array.from({ length: 1_000 }, (_, k) => {
          const i = b * 1_000 + k;
          return {
            idempotency_key: `rowcost-batch-${i}`,
            payload: {
              tenant_id: "bench",
              site_id: "batch-site",
              cluster_id: `c${i % 10}`,
              timestamp_utc: new Date(start + Math.floor(i / 10) * 60_000).toISOString(),
              interval_seconds: 60,
              it_load_kw: 800 + (i % 200),
              facility_power_kw: 1_100 + (i % 300),
              avg_rack_inlet_c: 22 + (i % 40) / 10,
            },
          };
        });
        const res = await fetch(`${base}/api/v1/mass/batch`, {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/json" },
          body: JSON.stringify(items),
        });
        if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
      }
    });

    console.log(
      [
        "",
        "kB per stored reading (heap + indexes + TOAST, partitions included, after VACUUM):",
        "",
        "| source | readings | observation | rollups (hour + day) | mass_request | job, call, recommendations | audit | total | s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...table,
      ].join("\n"),
    );
  } finally {
    await db.end();
    await stop();
    await admin(`drop database if exists "${target.name}" with (force)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
