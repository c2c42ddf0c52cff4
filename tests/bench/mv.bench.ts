// M&V at one year of hourly data for 6 series (the demo year: 2 sites × 3 clusters): each model's
// report run end to end through the API (read the intervals from PostgreSQL, fit, compute, hash,
// store), p50/p95 over BENCH_RUNS runs, and the pure computation alone on the same intervals; then
// the stale-run pass alone beside the query it replaced.
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { computeStudy } from "@/lib/mv/compute";
import type { Interval } from "@/lib/mv/intervals";
import { StudySpecSchema } from "@/lib/mv/spec";
import { admin, benchAuth, benchServerEnv, benchTarget, percentile, startServer } from "./support";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BASELINE = { from: "2025-11-01T00:00:00Z", to: "2026-06-01T00:00:00Z" };
const REPORTING = { from: "2026-06-01T00:00:00Z", to: "2026-11-01T00:00:00Z" };
const MODELS = [
  { label: "mean, hourly", granularity: "hourly", model: { kind: "mean" } },
  { label: "OLS IT, hourly", granularity: "hourly", model: { kind: "ols_it" } },
  {
    label: "OLS IT + CDH, balance point searched (17 fits), hourly",
    granularity: "hourly",
    model: { kind: "ols_it_cdd", balancePointC: null },
  },
  {
    label: "OLS IT + CDD, balance point searched, daily",
    granularity: "daily",
    model: { kind: "ols_it_cdd", balancePointC: null },
  },
  { label: "TOWT + IT, hourly", granularity: "hourly", model: { kind: "towt" } },
] as const;

const stats = (times: number[]) => {
  times.sort((a, b) => a - b);
  return `${percentile(times, 0.5).toFixed(0)} | ${percentile(times, 0.95).toFixed(0)}`;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pib-bench-mv-"));
  const file = join(dir, "demo.csv");
  const gen = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo-data.ts", "--out", file], {
    encoding: "utf8",
  });
  if (gen.status !== 0) throw new Error(gen.stderr);
  const { name, url, port, password } = await benchTarget();
  const { stop } = await startServer(
    benchServerEnv(
      { url, port, password },
      {
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        DEMO_DATA: "false",
        DATASET_MAX_BYTES: String(1024 * 1024 * 1024),
        RATE_LIMIT_API_PER_MINUTE: "100000",
        RATE_LIMIT_IP_PER_MINUTE: "100000",
      },
    ),
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    const { Authorization } = await benchAuth(base, password);
    const auth = { Authorization };
    const upload = await fetch(`${base}/api/v1/datasets?name=demo&tenant_id=demo`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "text/csv", "Content-Length": String(statSync(file).size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    const loaded = (await upload.json()) as { version: { id: string; row_count: number } };
    if (upload.status !== 201) throw new Error(`upload ${upload.status}`);

    console.log(
      `\nM&V over the demo year (${loaded.version.row_count.toLocaleString("en")} observations, 6 series): baseline ${BASELINE.from.slice(0, 10)} → ${BASELINE.to.slice(0, 10)}, reporting → ${REPORTING.to.slice(0, 10)}; ${RUNS} runs each\n`,
    );
    console.log(
      "| model | run via API p50 ms | p95 ms | computation alone p50 ms | p95 ms |\n|---|---:|---:|---:|---:|",
    );
    for (const m of MODELS) {
      const spec = {
        boundary: "facility",
        source: { datasetVersionIds: [loaded.version.id], massUntil: null },
        baseline: BASELINE,
        reporting: REPORTING,
        granularity: m.granularity,
        model: m.model,
      };
      const created = await fetch(`${base}/api/v1/mv/studies`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ tenant_id: "demo", name: m.label, spec }),
      });
      if (created.status !== 201) throw new Error(`create ${created.status}: ${await created.text()}`);
      const { id } = (await created.json()) as { id: string };
      const api: number[] = [];
      let report: {
        results: {
          baselineSeries: { t: string[]; actualKwh: number[] };
          reportingSeries: { t: string[]; actualKwh: number[] };
        };
      } | null = null;
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/mv/studies/${id}/runs`, { method: "POST", headers: auth });
        const body = await res.text();
        if (res.status !== 201) throw new Error(`run ${res.status}: ${body.slice(0, 300)}`);
        if (i > 0) api.push(performance.now() - t);
        report = JSON.parse(body);
      }
      // The computation alone, on the intervals the API read (rebuilt from the stored database rows).
      const intervals = await readIntervals(url.toString(), spec as never);
      const parsed = StudySpecSchema.parse(spec);
      const pure: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        computeStudy(parsed, intervals);
        if (i > 0) pure.push(performance.now() - t);
      }
      if (report!.results.reportingSeries.t.length !== intervals.reporting.length)
        throw new Error("interval count differs");
      console.log(`| ${m.label} | ${stats(api)} | ${stats(pure)} |`);
    }
    await staleRunPass(url.toString(), loaded.version.id);
  } finally {
    await stop();
    await admin(`drop database if exists "${name}" with (force)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The stale-run pass alone, as a facility-boundary study over the whole year runs it (facility power
 * and IT, 2 h), and the query it replaced, on the same rows, alternately: p50/p95 over BENCH_RUNS each.
 */
async function staleRunPass(databaseUrl: string, versionId: string): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  const { staleRuns, studyObservations } = await import("@/lib/mv/queries/intervals");
  const { db } = await import("@/lib/db");
  const { Prisma } = await import("@/lib/generated/prisma/client");
  const { previousStaleRuns } = await import("../support/mv-stale-previous");
  const spec = StudySpecSchema.parse({
    boundary: "facility",
    source: { datasetVersionIds: [versionId], massUntil: null },
    baseline: BASELINE,
    reporting: REPORTING,
    granularity: "hourly",
    model: { kind: "mean" },
  });
  const obs = studyObservations("demo", spec, new Date(BASELINE.from), new Date(REPORTING.to));
  const columns = ["facility_power_kw", "it_load_kw"];
  const now: number[] = [];
  const before: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    let t = performance.now();
    const a = await staleRuns(obs, columns, 7200);
    if (i > 0) now.push(performance.now() - t);
    t = performance.now();
    const b = await previousStaleRuns(db, Prisma, obs, columns, 7200);
    if (i > 0) before.push(performance.now() - t);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("the stale-run passes differ");
  }
  console.log(
    `\nStale-run pass alone (facility power and IT, 2 h), p50 | p95 ms: ${stats(now)} (the query it replaced: ${stats(before)})`,
  );
}

/** The study's intervals through the app's own loader, on a direct connection. */
async function readIntervals(
  databaseUrl: string,
  spec: Parameters<typeof StudySpecSchema.parse>[0],
): Promise<{ baseline: Interval[]; reporting: Interval[]; currency: string | null }> {
  process.env.DATABASE_URL = databaseUrl;
  const { loadStudyData } = await import("@/lib/mv/load-intervals");
  return loadStudyData("demo", StudySpecSchema.parse(spec));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
