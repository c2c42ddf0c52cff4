// Migrates DATABASE_URL and creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, without demo
// data. Used by the test harness (and handy in deployments where migrations run as a separate job).
import { bootstrap } from "./run-bootstrap";

bootstrap((line) => console.log(`[prepare-db] ${line}`), { demo: false }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[prepare-db] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
