// `npm run audit:deps`: `npm audit --omit=dev --audit-level=high --json`, explained. Exit 1 when a
// production dependency has a high or critical advisory (each listed: package, severity,
// advisory, whether a fix exists); 0 when there is none, and also — with a loud warning — when the
// advisory service cannot be reached (CI machines here reach only the registry's package
// endpoints); 2 when the audit cannot run at all (e.g. no lockfile).
// Dev dependencies are left out: they never reach the image (the Dockerfile prunes them).
import { spawnSync } from "node:child_process";
import { classifyAudit, reportAudit } from "./supply-chain/npm-audit";

const TIMEOUT_MS = 120_000;

const run = spawnSync("npm", ["audit", "--omit=dev", "--audit-level=high", "--json"], {
  encoding: "utf8",
  timeout: TIMEOUT_MS,
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error && (run.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") {
  console.error(`[audit:deps] ERROR: could not start npm: ${run.error.message}`);
  process.exit(2);
}
const outcome = classifyAudit({
  status: run.status,
  stdout: run.stdout ?? "",
  stderr: run.stderr ?? "",
  timedOut: (run.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT",
});
const { lines, exitCode } = reportAudit(outcome);
for (const line of lines) (exitCode === 0 ? console.log : console.error)(`[audit:deps] ${line}`);
process.exit(exitCode);
