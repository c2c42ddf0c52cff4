// POST /api/v1/mass/validate – dry run of either form: validation, normalized document, warnings; stores nothing
import type { z } from "zod";
import { assertTenantAccess } from "@/lib/access/tenant-scope";
import { withApi } from "@/lib/handlers/with-api";
import { ValidateQuerySchema } from "@/lib/mass/api-schemas";
import { prepareMass } from "@/lib/mass/ingest";
import { readMassBody } from "@/lib/mass/read-mass-body";
import type { MassValidationSchema } from "@/lib/mass/serialize";

export const POST = withApi("mass.ingest", async ({ request, principal, query }) => {
  const body = await readMassBody(request);
  // The form is the one asked for, else guessed: a body with only `payload` is MASS Simple.
  const asked = query(ValidateQuerySchema).kind;
  const kind =
    asked ??
    (body && typeof body === "object" && !Array.isArray(body) && Object.keys(body).join() === "payload"
      ? "simple"
      : "enterprise");
  const prepared = prepareMass({
    kind,
    body,
    principal,
    idempotencyKeyHeader: request.headers.get("idempotency-key"),
    traceparentHeader: request.headers.get("traceparent"),
  });
  assertTenantAccess(principal, prepared.tenantId);
  return Response.json({
    valid: true as const,
    kind,
    payload_hash: prepared.payloadHash,
    warnings: prepared.warnings,
    normalized: prepared.normalized,
    observation: prepared.observation !== null,
  } satisfies z.infer<typeof MassValidationSchema>);
});
