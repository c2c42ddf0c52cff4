// Coverage of the M&V savings bands on synthetic data-centre sites with a known true saving
// (lib/mv/simulate.ts): for each model, boundary and granularity, the share of BENCH_SITES sites
// (default 200; seeds BENCH_SEED, BENCH_SEED + 1, …, default 100000) whose 90 % band contains the
// true saving — ASHRAE Guideline 14's band and the calibrated one (docs/MV-METHOD.md §5.2). Pure
// computation, no database. The result table goes to docs/MV-METHOD.md §5.2 and BENCHMARKS.md.
import { computeStudy } from "@/lib/mv/compute";
import type { ModelKind } from "@/lib/mv/models";
import { coverage } from "@/lib/mv/simulate";

const SITES = Number(process.env.BENCH_SITES ?? 200);
const SEED = Number(process.env.BENCH_SEED ?? 100_000);
const ONLY = process.env.BENCH_MODELS?.split(",");

const CELLS: { model: ModelKind; granularity: "daily" | "hourly" }[] = [
  { model: "auto", granularity: "daily" },
  { model: "auto", granularity: "hourly" },
  { model: "dc_lift", granularity: "daily" },
  { model: "dc_lift", granularity: "hourly" },
  { model: "ols_it_cdd", granularity: "daily" },
  { model: "ols_it_cdd", granularity: "hourly" },
  { model: "towt", granularity: "hourly" },
  { model: "ols_it", granularity: "daily" },
  { model: "mean", granularity: "daily" },
];

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
console.log(
  `${SITES} sites per cell, seeds ${SEED}…${SEED + SITES - 1}; 90 % bands; share of studies whose band contains the true saving.\n`,
);
console.log(
  "| model | granularity | boundary | G14 band | calibrated band | median abs. error / energy | models chosen (auto) | ms/study |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const c of CELLS) {
  if (ONLY && !ONLY.includes(c.model)) continue;
  for (const boundary of ["facility", "cooling"] as const) {
    const r = coverage({
      seed: SEED,
      sites: SITES,
      boundary,
      granularity: c.granularity,
      model: c.model,
      compute: computeStudy,
    });
    const chosen =
      c.model === "auto"
        ? Object.entries(r.chosen)
            .sort((a, b) => b[1] - a[1])
            .map(([k, n]) => `${k} ${n}`)
            .join(", ")
        : "";
    console.log(
      `| ${c.model} | ${c.granularity} | ${boundary} | ${pct(r.g14Coverage)} | ${pct(r.calibratedCoverage)} | ${pct(r.medianAbsErrorShare)} | ${chosen}${r.failed ? ` (${r.failed} failed)` : ""} | ${r.msPerStudy.toFixed(0)} |`,
    );
  }
}
