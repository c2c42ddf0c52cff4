import "server-only";
import type { Principal } from "@/lib/access/principal";
import { tenantWhere } from "@/lib/access/tenant-scope";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/app-error";
import type { ImportOptions } from "./import-options";

const VERSION_SUMMARY = {
  id: true,
  datasetId: true,
  version: true,
  sha256: true,
  filename: true,
  sizeBytes: true,
  onError: true,
  rowCount: true,
  rejectedCount: true,
  duplicateCount: true,
  timeStart: true,
  timeEnd: true,
  intervalSeconds: true,
  series: true,
  columns: true,
  warnings: true,
  quality: true,
  importOptions: true,
  uploadedByType: true,
  uploadedById: true,
  createdAt: true,
} as const;

/** Datasets the principal may see, each with its versions newest first. */
export function listDatasets(principal: Principal) {
  return db().dataset.findMany({
    where: tenantWhere(principal),
    orderBy: [{ tenantId: "asc" }, { name: "asc" }],
    include: { versions: { where: { state: "ready" }, orderBy: { version: "desc" }, select: VERSION_SUMMARY } },
  });
}

export async function getDatasetOrThrow(principal: Principal, id: string) {
  const dataset = await db().dataset.findFirst({
    where: { id, ...tenantWhere(principal) },
    include: { versions: { where: { state: "ready" }, orderBy: { version: "desc" }, select: VERSION_SUMMARY } },
  });
  if (!dataset) throw new AppError("not_found", "No such dataset");
  return dataset;
}

export async function getVersionOrThrow(principal: Principal, datasetId: string, version: number) {
  const found = await db().datasetVersion.findFirst({
    where: { datasetId, version, state: "ready", dataset: tenantWhere(principal) },
    select: { ...VERSION_SUMMARY, dataset: { select: { id: true, name: true, tenantId: true } } },
  });
  if (!found) throw new AppError("not_found", "No such dataset version");
  return found;
}

export type DatasetWithVersions = Awaited<ReturnType<typeof listDatasets>>[number];
export type VersionSummaryRow = DatasetWithVersions["versions"][number];

/** A version's stored rows per UTC day and series (its daily coverage: ./coverage.ts). */
export function versionRowsPerDay(versionId: string) {
  return db().$queryRaw<{ day: Date; series: string; rows: bigint }[]>`
    select date_trunc('day', interval_start at time zone 'UTC') as day,
           concat_ws('/', site_id, facility_id, cluster_id, zone_id) as series,
           count(*) as rows
      from observation
     where dataset_version_id = ${versionId}::uuid
     group by 1, 2
     order by 2, 1`;
}

/** The options saved with a dataset (given or reused for its latest ready version), if it exists and the principal may see it. */
export async function savedImportOptionsByName(
  principal: Principal,
  tenantId: string,
  name: string,
): Promise<ImportOptions | null> {
  const found = await db().datasetVersion.findFirst({
    where: { state: "ready", dataset: { AND: [tenantWhere(principal), { tenantId, name }] } },
    orderBy: { version: "desc" },
    select: { importOptions: true },
  });
  return ((found?.importOptions as { given?: ImportOptions } | null) ?? null)?.given ?? null;
}
