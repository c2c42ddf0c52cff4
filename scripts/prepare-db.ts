// Migrates DATABASE_URL and creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD. Used by the
// test harness (and handy in deployments where migrations run as a separate job).
import { migrate } from "./run-bootstrap";

async function main(): Promise<void> {
  const log = (line: string): void => console.log(`[prepare-db] ${line}`);
  await migrate(log);
  const { ensureFirstAdmin } = await import("@/lib/users/ensure-first-admin");
  const admin = await ensureFirstAdmin({
    ADMIN_EMAIL: process.env.ADMIN_EMAIL,
    ADMIN_PASSWORD: process.env.ADMIN_PASSWORD,
  });
  if (admin?.generatedPassword) log(`first admin ${admin.email}, password: ${admin.generatedPassword}`);
  const { db } = await import("@/lib/db");
  await db().$disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[prepare-db] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
