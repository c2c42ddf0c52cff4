// GET /api/v1/me – who the caller is (role, tenant scope)
import type { z } from "zod";
import type { MeSchema } from "@/lib/auth/api-schemas";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("dashboard.read", async ({ principal }) =>
  Response.json({
    kind: principal.kind,
    id: principal.id,
    label: principal.label,
    role: principal.role,
    tenant_ids: principal.tenantIds,
    via: principal.via,
  } satisfies z.infer<typeof MeSchema>),
);
