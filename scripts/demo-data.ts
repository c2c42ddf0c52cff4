// `npx tsx scripts/demo-data.ts --out FILE [--rows N] [--seed S]`: writes the demo year (or, with
// --rows, at least N rows for benchmarks) as CSV, streamed with backpressure.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_DEMO, demoCsvLines, demoOptionsForRows } from "@/lib/datasets/demo-data";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, rows: { type: "string" }, seed: { type: "string" } } });
  if (!values.out) throw new Error("usage: npx tsx scripts/demo-data.ts --out FILE [--rows N] [--seed S]");
  const seed = values.seed ? Number(values.seed) : DEFAULT_DEMO.seed;
  const options = values.rows ? demoOptionsForRows(Number(values.rows), seed) : { ...DEFAULT_DEMO, seed };
  const out = createWriteStream(values.out);
  const started = Date.now();
  let rows = -1;
  let chunk = "";
  for (const line of demoCsvLines(options)) {
    rows += 1;
    chunk += `${line}\n`;
    if (chunk.length >= 1 << 16) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  console.error(`[demo-data] ${rows} rows written to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`[demo-data] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
