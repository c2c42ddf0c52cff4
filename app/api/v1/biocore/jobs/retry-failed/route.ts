// POST /api/v1/biocore/jobs/retry-failed – every failed recommendation job of the caller's tenants
// back to the queue, attempts reset (200 with how many and which; audited per tenant)
import { retryFailedJobs } from "@/lib/biocore/retry-failed";
import { withApi } from "@/lib/handlers/with-api";

export const POST = withApi("mass.ingest", async ({ principal, context }) =>
  Response.json(await retryFailedJobs(principal, context)),
);
