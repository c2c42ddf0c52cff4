// CSV bulk load: a 1,000,000-row file (12 numeric columns, the demo generator) uploaded end to end
// through POST /api/v1/datasets on a production build, and in the same run `psql \copy` of the same
// file into a bare table — the floor the database sets. Prints rows/s, the ratio and the server's
// peak RSS growth.
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import pg from "pg";
import { admin, benchAuth, ADMIN_URL, benchServerEnv, benchTarget, rssKb, startServer } from "./support";

const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pib-bench-csv-"));
  const file = join(dir, "bench.csv");
  const gen = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/demo-data.ts", "--out", file, "--rows", String(ROWS)],
    { encoding: "utf8" },
  );
  if (gen.status !== 0) throw new Error(gen.stderr);
  const bytes = statSync(file).size;
  const header = readFileSync(file, "utf8").slice(0, 2000).split("\n")[0]!;
  const lines = Number(spawnSync("wc", ["-l", file], { encoding: "utf8" }).stdout.trim().split(" ")[0]) - 1;
  console.log(`file: ${lines.toLocaleString("en")} rows, ${(bytes / 1e6).toFixed(1)} MB, columns: ${header}`);

  const { name, url, port, password } = await benchTarget();
  const env = benchServerEnv(
    { url, port, password },
    { DEMO_DATA: "false", DATASET_MAX_BYTES: String(2 * 1024 * 1024 * 1024) },
  );
  const { server, stop } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  try {
    const { Authorization } = await benchAuth(base, password);
    // Warm-up: a small upload compiles the route and fills the pool.
    await fetch(`${base}/api/v1/datasets?name=warmup`, {
      method: "POST",
      headers: { Authorization, "Content-Type": "text/csv" },
      body: "timestamp_utc,site_id,it_load_kw\n2026-01-01T00:00:00Z,w,1\n2026-01-01T00:15:00Z,w,1\n",
    }).then((r) => r.arrayBuffer());

    // Other work on the machine changes every figure: the load average goes with them.
    const loadAtStart = loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
    const baseline = rssKb(server.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid!))), 100);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/datasets?name=bench&on_error=strict`, {
      method: "POST",
      headers: { Authorization, "Content-Type": "text/csv", "Content-Length": String(bytes) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    const body = (await res.json()) as { version?: { row_count: number; quality_passes: boolean }; detail?: string };
    const apiSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    const stored = body.version!.row_count;

    // The floor: psql \copy of the same file into a bare table with the same columns, no indexes.
    const cols = header.split(",");
    const types = cols.map((c) =>
      c === "timestamp_utc" ? "timestamptz" : /_id$/.test(c) ? "text" : "double precision",
    );
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query(`create table bare_copy (${cols.map((col, i) => `"${col}" ${types[i]}`).join(", ")})`);
    await c.end();
    const t1 = performance.now();
    const copy = spawnSync(
      "psql",
      [url.toString(), "-v", "ON_ERROR_STOP=1", "-c", `\\copy bare_copy from '${file}' with (format csv, header true)`],
      { encoding: "utf8" },
    );
    const copySeconds = (performance.now() - t1) / 1000;
    if (copy.status !== 0) throw new Error(copy.stderr);

    // A second floor: COPY of the very rows the API stored into a table shaped like `observation`
    // (same columns and indexes, no foreign key or trigger): what our schema costs the database on its own.
    const exported = join(dir, "observation.copy");
    const exp = spawnSync(
      "psql",
      [
        url.toString(),
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        `\\copy (select o.* from observation o join dataset_version v on v.id = o.dataset_version_id join dataset d on d.id = v.dataset_id where d.name = 'bench') to '${exported}'`,
      ],
      { encoding: "utf8" },
    );
    if (exp.status !== 0) throw new Error(exp.stderr);
    const c2 = new pg.Client({ connectionString: url.toString() });
    await c2.connect();
    await c2.query("create table observation_floor (like observation including defaults including indexes)");
    await c2.end();
    const t2 = performance.now();
    const copy2 = spawnSync(
      "psql",
      [url.toString(), "-v", "ON_ERROR_STOP=1", "-c", `\\copy observation_floor from '${exported}'`],
      { encoding: "utf8" },
    );
    const shapedSeconds = (performance.now() - t2) / 1000;
    if (copy2.status !== 0) throw new Error(copy2.stderr);

    const apiRate = stored / apiSeconds;
    const copyRate = lines / copySeconds;
    const shapedRate = stored / shapedSeconds;
    console.log(`\nCSV bulk load (${lines.toLocaleString("en")} rows, PostgreSQL at ${new URL(ADMIN_URL).host})\n`);
    console.log("| path | rows | seconds | rows/s |\n|---|---:|---:|---:|");
    console.log(
      `| POST /api/v1/datasets (stream → validate → COPY, one transaction) | ${stored.toLocaleString("en")} | ${apiSeconds.toFixed(1)} | ${Math.round(apiRate).toLocaleString("en")} |`,
    );
    console.log(
      `| psql \\copy into a bare table | ${lines.toLocaleString("en")} | ${copySeconds.toFixed(1)} | ${Math.round(copyRate).toLocaleString("en")} |`,
    );
    console.log(
      `| psql \\copy of the stored rows into a table shaped like observation (its indexes, no trigger) | ${stored.toLocaleString("en")} | ${shapedSeconds.toFixed(1)} | ${Math.round(shapedRate).toLocaleString("en")} |`,
    );
    console.log(
      `\nAPI / bare COPY: ${(apiRate / copyRate).toFixed(2)} (goal ≥ 0.33); API / COPY into the observation shape: ${(apiRate / shapedRate).toFixed(2)}`,
    );
    console.log(
      `load average (1, 5, 15 min): ${loadAtStart} at the upload's start, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} at the end`,
    );
    console.log(
      `server RSS: ${(baseline / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB peak, growth ${((peak - baseline) / 1024).toFixed(0)} MB (goal < 300 MB)`,
    );
  } finally {
    await stop();
    await admin(`drop database if exists "${name}" with (force)`);
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
