// POST /api/v1/datasets/preview – the import wizard's dry run: the file read as the upload would
// read it (same body forms, options and size limit, same role), nothing written
import { assertTenantAccess } from "@/lib/access/tenant-scope";
import { previewDataset } from "@/lib/datasets/preview";
import { importOptionsOf, PreviewParamsSchema, readUpload } from "@/lib/datasets/upload-request";
import { env } from "@/lib/env";
import { withApi } from "@/lib/handlers/with-api";

export const POST = withApi("dataset.upload", async ({ request, principal }) => {
  const { params, source } = await readUpload(request, env().DATASET_MAX_BYTES, PreviewParamsSchema);
  const tenantId = params.tenant_id ?? (principal.tenantIds.length === 1 ? principal.tenantIds[0]! : "default");
  try {
    assertTenantAccess(principal, tenantId);
  } catch (error) {
    source.destroy();
    throw error;
  }
  return Response.json(
    await previewDataset(principal, {
      source,
      tenantId,
      name: params.name ?? null,
      onError: params.on_error,
      options: importOptionsOf(params),
    }),
  );
});
