// `npm run scan:secrets`: secretlint (recommended preset, .secretlintrc.json) over the tracked
// files and every blob in the git history (all refs). Exit 1 on a finding: a secret that reached
// a commit is compromised even if a later commit removed it — rotate it, then allowlist the dead
// value narrowly in .secretlintrc.json (history cannot be cleaned by a commit).
//   --no-history   the tracked files only
//   --repo DIR     another repository (default: the current directory); the config is read
//                  from DIR/.secretlintrc.json when present, else from this repository's
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatFinding, scanRepository } from "./supply-chain/secret-scan";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function main(argv: string[]): Promise<number> {
  const repoAt = argv.indexOf("--repo");
  const repo = resolve(repoAt >= 0 ? argv[repoAt + 1]! : process.cwd());
  const own = join(repo, ".secretlintrc.json");
  const configFile = existsSync(own) ? own : join(ROOT, ".secretlintrc.json");
  const history = !argv.includes("--no-history");
  const result = await scanRepository({ repo, configFile, history });
  for (const finding of result.findings) console.log(`[scan:secrets] ${formatFinding(finding)}`);
  const scope = `${result.files} tracked files${history ? ` and ${result.blobs} more blobs from the history of all refs` : ""} (${result.skipped} binary or over 5 MB skipped)`;
  if (result.findings.length) {
    console.log(
      `[scan:secrets] FAIL: ${result.findings.length} possible secrets in ${scope}, ${(result.ms / 1000).toFixed(1)} s`,
    );
    console.log(
      "[scan:secrets] Rotate any real secret first; a fake one in a fixture: allowlist it narrowly in .secretlintrc.json with a comment why.",
    );
    return 1;
  }
  console.log(`[scan:secrets] ok: no secrets in ${scope}, ${(result.ms / 1000).toFixed(1)} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[scan:secrets] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
