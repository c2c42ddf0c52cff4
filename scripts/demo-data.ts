// `npx tsx scripts/demo-data.ts --out FILE [--rows N] [--seed S]` (or `npm run demo:generate -- …`):
// writes the demo year (or, with --rows, at least N rows for benchmarks: demoOptionsForRows) as CSV.
// Streamed: lines are joined into ~64 KiB chunks and written with backpressure, so memory stays flat
// whatever the size. Prints the rows written, the bytes and the time taken.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_DEMO, demoCsvLines, demoOptionsForRows } from "@/lib/demo/data";

const USAGE = "usage: npx tsx scripts/demo-data.ts --out FILE [--rows N] [--seed S]";
const CHUNK_CHARS = 1 << 16;

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${text}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: "string" }, rows: { type: "string" }, seed: { type: "string" } },
  });
  if (!values.out) throw new Error(USAGE);
  const seed = integer("seed", values.seed, -(2 ** 31)) ?? DEFAULT_DEMO.seed;
  const rows = integer("rows", values.rows, 1);
  const options = rows === undefined ? { ...DEFAULT_DEMO, seed } : demoOptionsForRows(rows, seed);

  const out = createWriteStream(values.out);
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => {}); // observed below; keeps an early error from being unhandled
  const started = performance.now();
  let written = -1; // the header is not a row
  let bytes = 0;
  let chunk = "";
  for (const line of demoCsvLines(options)) {
    written += 1;
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      bytes += chunk.length; // ASCII only
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
      chunk = "";
    }
  }
  bytes += chunk.length;
  out.end(chunk);
  await Promise.race([once(out, "finish"), failed]);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `[demo-data] ${written.toLocaleString("en")} rows (${(bytes / 1e6).toFixed(1)} MB) written to ${values.out} in ${seconds.toFixed(1)} s (${Math.round(written / seconds).toLocaleString("en")} rows/s)`,
  );
}

main().catch((error: unknown) => {
  console.error(`[demo-data] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
