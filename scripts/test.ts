// `npm test`: the whole suite. Uses the PostgreSQL server in DATABASE_URL when set (each test run
// creates and drops its own databases there), otherwise an embedded PostgreSQL under .data/test.
// Builds the app when stale (integration and end-to-end tests run against the production build).
import { spawnSync } from "node:child_process";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { buildIsCurrent, writeBuildStamp } from "./build-stamp";

const log = (line: string): void => console.log(`[test] ${line}`);

function adminUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let stop: (() => Promise<void>) | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = adminUrlOf(process.env.DATABASE_URL);
    log(`using the PostgreSQL server of DATABASE_URL (${new URL(adminUrl).host})`);
  } else {
    const embedded = await startEmbeddedPostgres({ dataRoot: ".data/test", database: "postgres", log });
    stop = embedded.stop;
    adminUrl = embedded.url;
    log(`using an embedded PostgreSQL on port ${embedded.port}`);
  }
  try {
    const needsServer = args.length === 0 || args.some((a) => /integration|e2e/.test(a));
    if (needsServer && !buildIsCurrent()) {
      log("building the app for integration and end-to-end tests…");
      const build = spawnSync("npx", ["--no-install", "next", "build"], {
        stdio: "inherit",
        env: { ...process.env, NODE_ENV: "production" },
      });
      if (build.status !== 0) return build.status ?? 1;
      writeBuildStamp();
    }
    const env: NodeJS.ProcessEnv = { ...process.env, TEST_DATABASE_ADMIN_URL: adminUrl };
    delete env.DATABASE_URL;
    const vitest = [
      "--import",
      "./tests/support/node20-polyfills.mjs",
      "node_modules/vitest/vitest.mjs",
      "run",
      ...args,
    ];
    const result = spawnSync(process.execPath, vitest, { stdio: "inherit", env });
    return result.status ?? 1;
  } finally {
    await stop?.();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[test] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
