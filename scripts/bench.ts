// `npm run bench [-- name…]`: runs tests/bench/<name>.bench.ts (all of them without names).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const all = readdirSync("tests/bench")
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${all.join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : all) {
  console.log(`\n== ${name}`);
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", `tests/bench/${name}.bench.ts`],
    { stdio: "inherit" },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
