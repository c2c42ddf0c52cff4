// GET /api/v1/biocore/status – BioCore health, version, circuit state, last hour's latency and error rate, job queue
import { biocoreStatus } from "@/lib/biocore/status";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("recommendation.read", async ({ principal }) =>
  Response.json(await biocoreStatus(principal)),
);
