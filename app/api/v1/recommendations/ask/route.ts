// POST /api/v1/recommendations/ask – ask BioCore about a site (and cluster) over a window of any
// stored data (CSV or MASS): the pilot builds the MASS snapshot and queues a job (202, audited)
import { askBioCore, AskInputSchema } from "@/lib/biocore/ask";
import { withApi } from "@/lib/handlers/with-api";

export const POST = withApi("mass.ingest", async ({ principal, json, context }) =>
  Response.json(await askBioCore(principal, await json(AskInputSchema), context), { status: 202 }),
);
