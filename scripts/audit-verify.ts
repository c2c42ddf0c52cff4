// `npm run audit:verify`: walks the audit hash chain and names the first broken event.
// Exit code 0 when intact, 2 when broken, 1 on error.
import { loadDotEnv, provideDatabase } from "./run-bootstrap";

async function main(): Promise<number> {
  loadDotEnv();
  const embedded = await provideDatabase((line) => console.error(`[audit:verify] ${line}`));
  try {
    const { verifyAuditChain } = await import("@/lib/audit/verify-chain");
    const result = await verifyAuditChain();
    console.log(JSON.stringify(result, null, 2));
    if (result.ok) console.error(`[audit:verify] chain intact: ${result.checked} events`);
    else console.error(`[audit:verify] chain BROKEN at event #${result.firstBroken?.seq} (${result.firstBroken?.id}): ${result.firstBroken?.reason}`);
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
