// Audit trail throughput on a real PostgreSQL: appends per second at several concurrency levels
// (unsealed inserts, no lock), then how fast the sealer chains them and the verifier checks them.
import { randomBytes } from "node:crypto";
import { ADMIN_URL, admin } from "./support";
import { migrateDatabase } from "@/lib/db/migrate/run-migrate";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function main(): Promise<void> {
  const name = `pib_bench_${randomBytes(4).toString("hex")}`;
  await admin(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DATABASE_POOL_MAX = "20";
  try {
    await migrateDatabase(process.env.DATABASE_URL, { log: () => {} });
    const { recordAuditAlone } = await import("@/lib/audit/record-audit");
    const { verifyAuditChain } = await import("@/lib/audit/verify-chain");
    const { db } = await import("@/lib/db");
    const results: string[] = ["| clients | appends | appends/s | p50 ms | p99 ms |", "|---:|---:|---:|---:|---:|"];
    for (const clients of [1, 4, 16]) {
      const latencies: number[] = [];
      const end = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: clients }, async (_, w) => {
          while (Date.now() < end) {
            const t = performance.now();
            await recordAuditAlone({
              actor: { type: "system", id: `bench-${w}`, label: "bench" },
              action: "bench.append",
              inputs: { worker: w, n: latencies.length },
            });
            latencies.push(performance.now() - t);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
      results.push(
        `| ${clients} | ${latencies.length} | ${Math.round(latencies.length / SECONDS)} | ${q(0.5)} | ${q(0.99)} |`,
      );
    }
    const { sealAuditChain } = await import("@/lib/audit/seal-chain");
    const ts = performance.now();
    const sealed = await sealAuditChain(1_000);
    const sealMs = performance.now() - ts;
    const t = performance.now();
    const v = await verifyAuditChain();
    const ms = performance.now() - t;
    console.log(`\nAudit append throughput (${SECONDS} s per level, PostgreSQL at ${new URL(ADMIN_URL).host}):\n`);
    console.log(results.join("\n"));
    console.log(
      `\nSealing: ${sealed} events in ${sealMs.toFixed(0)} ms (${Math.round(sealed / (sealMs / 1000))} events/s)`,
    );
    console.log(
      `Verification: ${v.checked} events in ${ms.toFixed(0)} ms (${Math.round(v.checked / (ms / 1000))} events/s), ok=${v.ok}`,
    );
    await db().$disconnect();
  } finally {
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
