// POST /api/v1/datasets – upload a CSV (streamed): a new immutable version, or the existing one for
// identical bytes; GET – the datasets the caller may see, with their versions
import { assertTenantAccess } from "@/lib/access/tenant-scope";
import { actorOf } from "@/lib/audit/types";
import { askAfterLoad } from "@/lib/biocore/ask";
import { loadDataset } from "@/lib/datasets/load";
import { metrics } from "@/lib/observability/metrics";
import { traced } from "@/lib/observability/tracing";
import { getVersionOrThrow, listDatasets } from "@/lib/datasets/repo";
import { serializeDataset, serializeVersionDetail } from "@/lib/datasets/serialize";
import { importOptionsOf, readUpload, UploadParamsSchema } from "@/lib/datasets/upload-request";
import { env } from "@/lib/env";
import { withApi } from "@/lib/handlers/with-api";

export const GET = withApi("dataset.read", async ({ principal }) =>
  Response.json({ items: (await listDatasets(principal)).map(serializeDataset) }),
);

export const POST = withApi("dataset.upload", async ({ request, principal, context }) => {
  const { params, source, filename } = await readUpload(request, env().DATASET_MAX_BYTES, UploadParamsSchema);
  const tenantId = params.tenant_id ?? (principal.tenantIds.length === 1 ? principal.tenantIds[0]! : "default");
  try {
    assertTenantAccess(principal, tenantId);
  } catch (error) {
    source.destroy();
    throw error;
  }
  const result = await traced("dataset.load", { "pib.tenant_id": tenantId, "pib.dataset": params.name }, () =>
    loadDataset({
      source,
      name: params.name,
      tenantId,
      onError: params.on_error,
      filename,
      options: importOptionsOf(params),
      actor: actorOf(principal),
      context,
    }),
  );
  const version = await getVersionOrThrow(principal, result.datasetId, result.version);
  if (result.created) metrics().datasetRows.inc(version.rowCount);
  const detail = serializeVersionDetail(version);
  // Opt-in (query ask_biocore=true): Ask BioCore about each site and cluster of a new version.
  const asks =
    result.created && request.nextUrl.searchParams.get("ask_biocore") === "true"
      ? await askAfterLoad(principal, version.dataset.tenantId, detail.series, context)
      : undefined;
  return Response.json(
    {
      created: result.created,
      dataset: { id: version.dataset.id, name: version.dataset.name, tenant_id: version.dataset.tenantId },
      version: detail,
      ...(asks ? { biocore_asks: asks } : {}),
    },
    {
      status: result.created ? 201 : 200,
      headers: { Location: `/api/v1/datasets/${result.datasetId}/versions/${result.version}` },
    },
  );
});
