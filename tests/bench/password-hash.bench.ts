// Cost of a sign-in's password check (bcryptjs, cost 12): the floor of every login's latency and
// what bounds sign-ins per second per core.
import { hashPassword, verifyPassword } from "@/lib/access/password";

async function main(): Promise<void> {
  const hash = await hashPassword("a-benchmark-password");
  const runs = 10;
  const t = performance.now();
  for (let i = 0; i < runs; i++) await verifyPassword("a-benchmark-password", hash);
  const ms = (performance.now() - t) / runs;
  console.log(
    `\nbcrypt cost 12 verify: ${ms.toFixed(0)} ms per sign-in (${(1000 / ms).toFixed(1)} per second per core)`,
  );
}

void main();
