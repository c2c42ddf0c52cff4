// POST /api/v1/mass/validate – dry run of either form: validation, normalized document, warnings; stores nothing
import { z } from "zod";
import { assertTenantAccess } from "@/lib/auth/tenant-scope";
import { withApi } from "@/lib/http/with-api";
import { prepareMass } from "@/lib/mass/ingest";
import { readMassBody } from "@/lib/mass/read-mass-body";

const QuerySchema = z.object({ kind: z.enum(["enterprise", "simple"]).optional() });

export const POST = withApi("mass.ingest", async ({ request, principal, query }) => {
  const body = await readMassBody(request);
  // The form is the one asked for, else guessed: a body with only `payload` is MASS Simple.
  const asked = query(QuerySchema).kind;
  const kind = asked ?? (body && typeof body === "object" && !Array.isArray(body) && Object.keys(body).join() === "payload" ? "simple" : "enterprise");
  const prepared = prepareMass({
    kind,
    body,
    principal,
    idempotencyKeyHeader: request.headers.get("idempotency-key"),
    traceparentHeader: request.headers.get("traceparent"),
  });
  assertTenantAccess(principal, prepared.tenantId);
  return Response.json({
    valid: true,
    kind,
    payload_hash: prepared.payloadHash,
    warnings: prepared.warnings,
    normalized: prepared.normalized,
    observation: prepared.observation !== null,
  });
});
