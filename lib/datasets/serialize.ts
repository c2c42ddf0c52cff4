// The API's JSON shapes of datasets and their versions, as zod schemas (fed to the OpenAPI
// document) and the serializers typed against them.
import { z } from "zod";
import { ImportRecordSchema } from "./import-options";
import type { DatasetWithVersions, VersionSummaryRow } from "./repo";

/** A problem of a row or the file (an upload's or a preview's). */
export const DatasetProblemSchema = z.object({
  pointer: z.string(),
  detail: z.string(),
  code: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  value: z.string().optional(),
});

export const QualityReportSchema = z
  .object({
    thresholds: z.object({ max_missing_ratio: z.number(), max_staleness_seconds: z.number() }),
    passes: z.boolean().meta({ description: "Every series within both thresholds" }),
    rows_read: z.number().int(),
    rows_stored: z.number().int(),
    rows_rejected: z.number().int(),
    duplicates: z
      .number()
      .int()
      .meta({ description: "Rows with the timestamp of an earlier row of the same series (the first is kept)" }),
    out_of_range: z
      .record(z.string(), z.number().int())
      .meta({ description: "Rejected values outside the contract's ranges, per column" }),
    rejected: z
      .array(DatasetProblemSchema)
      .meta({ description: "on_error=skip: the first 1,000 problems of the rejected rows" }),
    series: z.array(
      z.object({
        site_id: z.string(),
        facility_id: z.string().nullable(),
        cluster_id: z.string().nullable(),
        zone_id: z.string().nullable(),
        rows: z.number().int(),
        duplicates: z.number().int(),
        first_utc: z.string(),
        last_utc: z.string(),
        interval_seconds: z.number().int(),
        expected_intervals: z.number().int(),
        missing_ratio: z.number(),
        in_time_order: z.boolean(),
        stale: z.array(z.object({ column: z.string(), runs: z.number().int(), longest_seconds: z.number().int() })),
        passes: z.object({ missing: z.boolean(), staleness: z.boolean() }),
      }),
    ),
  })
  .meta({ id: "QualityReport" });

export const DatasetVersionSchema = z
  .object({
    id: z.uuid(),
    dataset_id: z.uuid(),
    version: z.number().int(),
    sha256: z.string().meta({ description: "SHA-256 of the uploaded bytes: the version's identity" }),
    filename: z.string().nullable(),
    size_bytes: z.number().int(),
    on_error: z.enum(["strict", "skip"]),
    row_count: z.number().int(),
    rejected_count: z.number().int(),
    duplicate_count: z.number().int(),
    time_start: z.string().nullable(),
    time_end: z.string().nullable(),
    interval_seconds: z.number().int().nullable(),
    series: z.array(
      z.object({
        site_id: z.string(),
        facility_id: z.string().nullable(),
        cluster_id: z.string().nullable(),
        zone_id: z.string().nullable(),
        rows: z.number().int(),
      }),
    ),
    columns: z
      .array(z.object({ header: z.string(), column: z.string().nullable(), note: z.string().nullable() }))
      .meta({ description: "How each header was read (null: ignored)" }),
    warnings: z.array(z.object({ column: z.string(), message: z.string() })),
    import: ImportRecordSchema.nullable().meta({
      description: "How the file was read (null: uploaded before the import options existed)",
    }),
    quality_passes: z.boolean(),
    uploaded_by: z.string(),
    created_at: z.string(),
  })
  .meta({ id: "DatasetVersion" });

export const DatasetVersionDetailSchema = DatasetVersionSchema.extend({
  dataset: z.object({ id: z.uuid(), name: z.string(), tenant_id: z.string() }),
  quality: QualityReportSchema,
}).meta({ id: "DatasetVersionDetail" });

export const DatasetSchema = z
  .object({
    id: z.uuid(),
    tenant_id: z.string(),
    name: z.string(),
    created_at: z.string(),
    versions: z.array(DatasetVersionSchema).meta({ description: "Newest first" }),
  })
  .meta({ id: "Dataset" });

export const UploadResultSchema = z
  .object({
    created: z
      .boolean()
      .meta({ description: "false: these exact bytes were uploaded before; the existing version is returned" }),
    dataset: z.object({ id: z.uuid(), name: z.string(), tenant_id: z.string() }),
    version: DatasetVersionDetailSchema,
  })
  .meta({ id: "DatasetUpload" });

export function serializeVersion(v: VersionSummaryRow): z.infer<typeof DatasetVersionSchema> {
  return {
    id: v.id,
    dataset_id: v.datasetId,
    version: v.version,
    sha256: v.sha256,
    filename: v.filename,
    size_bytes: Number(v.sizeBytes),
    on_error: v.onError as "strict" | "skip",
    row_count: v.rowCount,
    rejected_count: v.rejectedCount,
    duplicate_count: v.duplicateCount,
    time_start: v.timeStart?.toISOString() ?? null,
    time_end: v.timeEnd?.toISOString() ?? null,
    interval_seconds: v.intervalSeconds,
    series: v.series as z.infer<typeof DatasetVersionSchema>["series"],
    columns: v.columns as z.infer<typeof DatasetVersionSchema>["columns"],
    warnings: v.warnings as z.infer<typeof DatasetVersionSchema>["warnings"],
    import: (v.importOptions ?? null) as z.infer<typeof DatasetVersionSchema>["import"],
    quality_passes: Boolean((v.quality as { passes?: boolean }).passes),
    uploaded_by: `${v.uploadedByType}:${v.uploadedById}`,
    created_at: v.createdAt.toISOString(),
  };
}

export function serializeVersionDetail(
  v: VersionSummaryRow & { dataset: { id: string; name: string; tenantId: string } },
): z.infer<typeof DatasetVersionDetailSchema> {
  return {
    ...serializeVersion(v),
    dataset: { id: v.dataset.id, name: v.dataset.name, tenant_id: v.dataset.tenantId },
    quality: v.quality as z.infer<typeof QualityReportSchema>,
  };
}

export function serializeDataset(d: DatasetWithVersions): z.infer<typeof DatasetSchema> {
  return {
    id: d.id,
    tenant_id: d.tenantId,
    name: d.name,
    created_at: d.createdAt.toISOString(),
    versions: d.versions.map(serializeVersion),
  };
}
