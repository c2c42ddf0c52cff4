// `entrypoint.sh setup`: what `npm start` does before serving, for a container whose database is
// external (DATABASE_URL): apply migrations as DATABASE_MIGRATION_URL when set (then grant
// DATABASE_URL's role its runtime privileges), create the first admin (ADMIN_EMAIL/ADMIN_PASSWORD,
// or a generated password printed once), and load the demo year when DEMO_DATA is not false.
// Safe to run again and from several places at once: migrations run under an advisory lock, the
// first admin is created under another, and the demo year is skipped once any dataset exists.
import { setting } from "@/lib/env";
import { bootstrap } from "./run-bootstrap";

const log = (line: string): void => void process.stdout.write(`[setup] ${line}\n`);

async function main(): Promise<void> {
  if (!setting("DATABASE_URL")) throw new Error("DATABASE_URL is not set");
  await bootstrap(log, { demo: true });
  log("done");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[setup] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
