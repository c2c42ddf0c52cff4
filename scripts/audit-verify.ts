// `npm run audit:verify [-- --anchors FILE ...]`: walks the audit hash chain, names the first
// broken event, and compares the chain with anchors kept outside the database (an anchor file, a
// log extract with `audit_anchor` lines, or a JSON array of checkpoints). Needs the database and
// AUDIT_HMAC_KEY (under `npm start`'s embedded database: .data/audit-hmac.key). Before walking it
// seals pending events, unless the chain disagrees with a kept anchor.
// Exit code 0 when intact, 2 when broken, 1 on error.
import { readFileSync } from "node:fs";
import { loadDotEnv, provideAuditKey, provideDatabase } from "./run-bootstrap";

function anchorFiles(argv: string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--anchors") {
      const file = argv[++i];
      if (!file) throw new Error("--anchors needs a file");
      files.push(file);
    } else if (arg.startsWith("--anchors=")) files.push(arg.slice("--anchors=".length));
    else throw new Error(`unknown argument ${arg} (usage: audit:verify [--anchors FILE]...)`);
  }
  return files;
}

// stdout carries the JSON report only: the app's log lines (a refusal to seal, a missing key) go
// to stderr with the command's own messages.
const printReport = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

async function main(): Promise<number> {
  loadDotEnv();
  const files = anchorFiles(process.argv.slice(2));
  const embedded = await provideDatabase((line) => console.error(`[audit:verify] ${line}`));
  provideAuditKey((line) => console.error(`[audit:verify] ${line}`), { create: false });
  try {
    const { readAnchorText } = await import("@/lib/audit/anchor");
    const anchors = files.flatMap((file) => {
      const found = readAnchorText(readFileSync(file, "utf8"));
      console.error(`[audit:verify] ${found.length} anchors read from ${file}`);
      return found;
    });
    if (files.length > 0 && anchors.length === 0) throw new Error("no anchors found in the given files");
    const { verifyAuditChain } = await import("@/lib/audit/verify-chain");
    const { verificationSummary } = await import("@/lib/audit/verify-text");
    const result = await verifyAuditChain({ anchors });
    printReport(`${JSON.stringify(result, null, 2)}\n`);
    console.error(`[audit:verify] ${verificationSummary(result)}`);
    const { db } = await import("@/lib/db");
    await db().$disconnect();
    return result.ok ? 0 : 2;
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[audit:verify] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
