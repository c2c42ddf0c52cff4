// `entrypoint.sh setup`: what `npm start` does before serving, for a container whose database is
// external (DATABASE_URL): apply migrations as DATABASE_MIGRATION_URL when set (then grant
// DATABASE_URL's role its runtime privileges), create the first admin (ADMIN_EMAIL/ADMIN_PASSWORD,
// or a generated password printed once), and load the demo year when DEMO_DATA is not false.
// Safe to run again and from several places at once: migrations run under an advisory lock, the
// first admin is created under another, and the demo year is skipped once any dataset exists.
import { migrate } from "../../scripts/run-bootstrap";

const log = (line: string): void => void process.stdout.write(`[setup] ${line}\n`);

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  await migrate(log);
  const { ensureFirstAdmin } = await import("@/lib/users/ensure-first-admin");
  const admin = await ensureFirstAdmin({
    ADMIN_EMAIL: process.env.ADMIN_EMAIL,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD,
  });
  if (admin?.generatedPassword) {
    log("first admin created — this password is shown once, store it now:");
    log(`  email:    ${admin.email}`);
    log(`  password: ${admin.generatedPassword}`);
  } else if (admin) {
    log(`first admin created: ${admin.email} (password from ADMIN_PASSWORD)`);
  }
  const { ensureDemoData } = await import("@/lib/datasets/demo-load");
  await ensureDemoData(log);
  const { db } = await import("@/lib/db");
  await db().$disconnect();
  const { pgPool } = await import("@/lib/db/pg-pool");
  await pgPool().end();
  log("done");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[setup] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
