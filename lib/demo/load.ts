// First start: load the demo year (unless DEMO_DATA=false, or any dataset exists) so a new user
// never sees an empty dashboard. It goes through the same loader as any upload, then records the
// demo's implemented recommendation (lib/demo/implementation.ts).
import "server-only";
import { Readable } from "node:stream";
import { SYSTEM_ACTOR } from "@/lib/audit/types";
import { env } from "@/lib/env";
import { DEFAULT_DEMO, demoCsvLines } from "./data";
import { countDatasets } from "./repo";
import { loadDataset, type LoadResult } from "@/lib/datasets/load";

export const DEMO_DATASET = { tenantId: "demo", name: "demo: 2 sites × 3 clusters, one year" } as const;

export async function ensureDemoData(log: (line: string) => void): Promise<LoadResult | null> {
  if (!env().DEMO_DATA) return null;
  if ((await countDatasets()) > 0) return null;
  const started = Date.now();
  const source = Readable.from(
    (function* () {
      for (const line of demoCsvLines(DEFAULT_DEMO)) yield `${line}\n`;
    })(),
  );
  const result = await loadDataset({
    source,
    name: DEMO_DATASET.name,
    tenantId: DEMO_DATASET.tenantId,
    onError: "strict",
    filename: "demo-year.csv",
    actor: { ...SYSTEM_ACTOR, label: "demo data" },
    context: null,
  });
  log(
    `demo data loaded: version ${result.version} of "${DEMO_DATASET.name}" (tenant ${DEMO_DATASET.tenantId}) in ${((Date.now() - started) / 1000).toFixed(1)} s; set DEMO_DATA=false to skip`,
  );
  // The demo's implemented recommendation and its verification (predicted vs verified).
  const { ensureDemoImplementation } = await import("@/lib/demo/implementation");
  await ensureDemoImplementation(DEMO_DATASET.tenantId, log);
  return result;
}
