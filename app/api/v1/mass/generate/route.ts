// POST /api/v1/mass/generate – ingest an enterprise MASS v1.1 request
import { withApi } from "@/lib/handlers/with-api";
import { readMassBody } from "@/lib/mass/read-mass-body";
import { ingestMass } from "@/lib/mass/ingest";
import { ingestResponse } from "@/lib/mass/respond";

export const POST = withApi("mass.ingest", async ({ request, principal, context }) =>
  ingestResponse(
    await ingestMass({
      kind: "enterprise",
      body: await readMassBody(request),
      principal,
      context,
      idempotencyKeyHeader: request.headers.get("idempotency-key"),
      traceparentHeader: request.headers.get("traceparent"),
    }),
  ),
);
