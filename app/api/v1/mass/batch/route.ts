// POST /api/v1/mass/batch – up to 1,000 MASS documents (enterprise and Simple, mixed) in one call:
// a JSON array or NDJSON; an answer per document; the valid ones stored in one transaction.
import { withApi } from "@/lib/handlers/with-api";
import { ingestMassBatch } from "@/lib/mass/batch";
import { readMassBatch } from "@/lib/mass/batch-body";

export const POST = withApi("mass.ingest", async ({ request, principal, context }) => {
  const { body, replayed } = await ingestMassBatch({
    entries: await readMassBatch(request),
    principal,
    context,
    traceparentHeader: request.headers.get("traceparent"),
  });
  return Response.json(body, { status: 200, headers: replayed ? { "Idempotent-Replayed": "true" } : {} });
});
