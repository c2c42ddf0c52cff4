// `npm run retention [-- --months N]`: drops the months of observations older than N months (default:
// OBSERVATION_RETENTION_MONTHS), each a whole partition with an audit event, as the background pass
// does (lib/observations/retention.ts). Prints the months dropped. Exit code 0 when done (or when
// retention is not configured: nothing is dropped), 3 when another replica holds the pass, 1 on error.
import { parseArgs } from "node:util";
import { loadDotEnv, migrate, provideDatabase } from "./run-bootstrap";
import { setting } from "../lib/env";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { months: { type: "string" } } });
  loadDotEnv();
  const log = (line: string) => console.error(`[retention] ${line}`);
  const raw = values.months ?? setting("OBSERVATION_RETENTION_MONTHS")?.toString();
  if (!raw) {
    log("OBSERVATION_RETENTION_MONTHS is not set (nor --months): every observation is kept");
    return 0;
  }
  const months = Number(raw);
  if (!Number.isInteger(months) || months < 1 || months > 1200) {
    log(`months must be a whole number from 1 to 1200, not ${raw}`);
    return 1;
  }
  const embedded = await provideDatabase(log);
  try {
    await migrate(log);
    const { retentionPass, retentionCutoff } = await import("@/lib/observations/retention");
    const { db } = await import("@/lib/db");
    const dropped = await retentionPass(months, { actor: { type: "system", id: "cli", label: "npm run retention" } });
    await db().$disconnect();
    if (dropped === null) {
      log("another process is running the retention pass; nothing done");
      return 3;
    }
    console.log(
      JSON.stringify({ retention_months: months, cutoff: retentionCutoff(months).toISOString(), dropped }, null, 2),
    );
    log(
      dropped.length
        ? `dropped ${dropped.length} month(s), ${dropped.reduce((n, d) => n + d.rows, 0)} rows (rollups kept)`
        : "no month old enough to drop",
    );
    return 0;
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[retention] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
