// `npm run test:reliability`: the long reliability run on a production build — a soak of mixed
// traffic (RELIABILITY_SOAK_SECONDS, default 600), database faults, graceful shutdown of `npm start`,
// a full disk (when a tmpfs can be mounted), then any extra suites present with larger run counts —
// and a summary table at the end.
// The soak uses the PostgreSQL server of DATABASE_URL when set (it creates and drops its own
// database there), otherwise an embedded PostgreSQL of its own. Exit code 1 when a check fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDbFault } from "@/tests/reliability/db-fault";
import { runDiskFull } from "@/tests/reliability/disk-full";
import { runGracefulShutdown } from "@/tests/reliability/graceful-shutdown";
import { runReplicas } from "@/tests/reliability/replicas";
import { startCluster } from "@/tests/reliability/processes";
import { failures, formatResult, table, type ScenarioResult } from "@/tests/reliability/report";
import { runSoak } from "@/tests/reliability/soak";
import { buildIsCurrent, writeBuildStamp } from "./build-stamp";

const log = (line: string): void => console.log(`[reliability] ${line}`);
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/**
 * Other suites to run with larger counts in the long run, each only if its file exists. Add an
 * entry here to include a suite; `env` is passed to it on top of the caller's environment.
 */
const EXTRA_SUITES: { file: string; with?: string[]; env: Record<string, string> }[] = [
  {
    file: "tests/integration/fuzz.test.ts",
    with: ["lib/datasets/csv-fuzz.test.ts"],
    env: { FUZZ_RUNS: process.env.RELIABILITY_FUZZ_RUNS ?? "100" },
  },
  // Deterministic sweeps (no run count): the same as in CI, listed so the long run's summary
  // holds the whole security proof.
  { file: "tests/integration/authz-sweep.test.ts", env: {} },
  { file: "tests/integration/export-safety.test.ts", env: {} },
  { file: "tests/integration/security-headers.test.ts", env: {} },
];

function adminUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

/**
 * Runs `work` with the URL of a PostgreSQL admin database: the server of DATABASE_URL when set,
 * else an embedded cluster of its own in a temporary directory, stopped and removed afterwards.
 */
async function withAdminUrl<T>(prefix: string, work: (adminUrl: string) => Promise<T>): Promise<T> {
  let stop: (() => Promise<void>) | null = null;
  let adminUrl = process.env.DATABASE_URL ? adminUrlOf(process.env.DATABASE_URL) : "";
  const root = mkdtempSync(join(tmpdir(), prefix));
  if (!adminUrl) {
    const cluster = await startCluster(root);
    adminUrl = cluster.url("postgres");
    stop = cluster.stop;
  }
  try {
    return await work(adminUrl);
  } finally {
    await stop?.();
    rmSync(root, { recursive: true, force: true });
  }
}

async function scenario(name: string, run: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  log(`${name}…`);
  const started = performance.now();
  try {
    const result = await run();
    result.figures.push(["scenario wall time", `${((performance.now() - started) / 1000).toFixed(0)} s`]);
    console.log(`\n${formatResult(result)}\n`);
    return result;
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(detail);
    return { scenario: name, checks: [{ name: "scenario ran to the end", ok: false, detail }], figures: [] };
  }
}

function extraSuite(file: string, also: string[], env: Record<string, string>): ScenarioResult {
  const started = performance.now();
  const run = spawnSync("npm", ["test", "--", file, ...also], { stdio: "inherit", env: { ...process.env, ...env } });
  return {
    scenario: `Extra suite ${file}`,
    checks: [{ name: "suite passes", ok: run.status === 0, detail: `exit ${run.status}` }],
    figures: [
      [
        "settings",
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ") || "-",
      ],
      ["wall time", `${((performance.now() - started) / 1000).toFixed(0)} s`],
    ],
  };
}

async function main(): Promise<number> {
  const only = new Set(
    (process.env.RELIABILITY_ONLY ?? "soak,replicas,db-fault,shutdown,disk-full,extra").split(",").map((s) => s.trim()),
  );
  if (!buildIsCurrent()) {
    log("building the app (the scenarios run against the production build)…");
    const build = spawnSync("npx", ["--no-install", "next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (build.status !== 0) return build.status ?? 1;
    writeBuildStamp();
  }
  const results: ScenarioResult[] = [];

  if (only.has("soak")) {
    results.push(
      await withAdminUrl("pib-soak-", (adminUrl) =>
        scenario("Soak", () =>
          runSoak({
            seconds: num("RELIABILITY_SOAK_SECONDS", 600),
            adminUrl,
            ingestPerSecond: num("RELIABILITY_INGEST_RPS", 5),
            replayShare: num("RELIABILITY_REPLAY_SHARE", 0.2),
            readsPerSecond: num("RELIABILITY_READS_RPS", 2),
            pageEverySeconds: num("RELIABILITY_PAGE_EVERY_S", 5),
            exportEverySeconds: num("RELIABILITY_EXPORT_EVERY_S", 10),
            mvEverySeconds: num("RELIABILITY_MV_EVERY_S", 30),
            log,
          }),
        ),
      ),
    );
  }
  if (only.has("replicas")) {
    results.push(
      await withAdminUrl("pib-replicas-", (adminUrl) =>
        scenario("Three replicas behind HAProxy", () =>
          runReplicas({
            adminUrl,
            redisUrl: process.env.RELIABILITY_REDIS_URL ?? "redis://127.0.0.1:6379",
            mixedSeconds: num("RELIABILITY_REPLICAS_MIXED_S", 120),
            ingestPerSecond: num("RELIABILITY_INGEST_RPS", 5) * 3,
            readsPerSecond: num("RELIABILITY_READS_RPS", 2) * 3,
            killLoadSeconds: num("RELIABILITY_REPLICAS_KILL_S", 30),
            restartLoadPerSecond: num("RELIABILITY_INGEST_RPS", 5) * 2,
            log,
          }),
        ),
      ),
    );
  }
  if (only.has("db-fault")) {
    results.push(
      await scenario("Database faults", () =>
        runDbFault({
          loadSeconds: num("RELIABILITY_FAULT_LOAD_S", 60),
          downAtSeconds: 15,
          downForSeconds: num("RELIABILITY_FAULT_DOWN_S", 10),
          clients: 16,
          statementTimeoutMs: 2_000,
          log,
        }),
      ),
    );
  }
  if (only.has("shutdown")) {
    results.push(
      await scenario("Graceful shutdown", () => runGracefulShutdown({ clients: 8, loadBeforeSeconds: 10, log })),
    );
  }
  if (only.has("disk-full")) {
    results.push(
      await scenario("Full disk", () =>
        runDiskFull({ fullForSeconds: num("RELIABILITY_DISK_FULL_S", 10), clients: 8, sizeMb: 192, log }),
      ),
    );
  }
  if (only.has("extra")) {
    for (const suite of EXTRA_SUITES) {
      if (existsSync(suite.file)) results.push(extraSuite(suite.file, suite.with ?? [], suite.env));
      else log(`extra suite ${suite.file} not present: skipped`);
    }
  }

  const summary = table([
    ["scenario", "checks passed", "failed"],
    ...results.map((r) => [
      r.scenario,
      `${r.checks.length - failures(r).length}/${r.checks.length}`,
      failures(r)
        .map((c) => c.name)
        .join("; ") || "-",
    ]),
  ]);
  const report = `# Reliability run ${new Date().toISOString()}\n\n${results.map(formatResult).join("\n\n")}\n\n## Summary\n\n${summary}\n`;
  mkdirSync(".data", { recursive: true });
  const file = process.env.RELIABILITY_REPORT ?? join(".data", "reliability-report.md");
  writeFileSync(file, report);
  console.log(`\n## Summary\n\n${summary}\n`);
  log(`full report: ${file}`);
  return results.every((r) => failures(r).length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[reliability] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
