// OpenAPI operations of the "Datasets" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { DatasetSchema, DatasetVersionDetailSchema, UploadResultSchema } from "@/lib/datasets/serialize";
import { UploadParamsSchema } from "@/lib/datasets/upload-request";
import { IdParams } from "../common";
import type { OperationSpec } from "../operation-spec";

export const datasetsOperations: OperationSpec[] = [
  {
    method: "post",
    path: "/api/v1/datasets",
    tag: "Datasets",
    auth: "dataset.upload",
    summary: "Upload a CSV dataset (streamed, up to 200 MB by default)",
    description:
      "Send `text/csv` with the parameters in the query, or `multipart/form-data` with the fields before the `file` field. " +
      "Each upload of new bytes is a new immutable version identified by their SHA-256; the same bytes again return the existing version (200). " +
      "Strict mode refuses the whole file on any bad row and stores nothing; `on_error=skip` stores the valid rows and reports the rest. " +
      "Columns: `timestamp_utc`, `site_id`, optional `facility_id`, `cluster_id`, `zone_id`, `interval_seconds`, and signal columns (e.g. `it_load_kw`, `facility_power_kw`, `outdoor_temp_c`); see the README. " +
      "With the query parameter `ask_biocore=true` (off by default; in the query also for multipart), a new version queues one Ask BioCore (`POST /api/v1/recommendations/ask`) per site and cluster of its series over the last day of its data, listed in `biocore_asks`.",
    query: UploadParamsSchema.extend({
      ask_biocore: z
        .enum(["true", "false"])
        .optional()
        .meta({ description: "true: ask BioCore about each site and cluster of a new version (default false)" }),
    }),
    rawBody: {
      "text/csv": {
        schema: { type: "string" },
        example:
          "timestamp_utc,site_id,cluster_id,it_load_kw,facility_power_kw\n2026-06-01T00:00:00Z,mad1,c01,812.4,1130.2\n",
      },
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: {
            name: { type: "string" },
            tenant_id: { type: "string" },
            on_error: { type: "string", enum: ["strict", "skip"] },
            file: { type: "string", format: "binary" },
          },
        },
      },
    },
    ok: {
      status: 201,
      description: "A new version (200 with `created: false` for bytes uploaded before)",
      schema: UploadResultSchema.extend({
        biocore_asks: z
          .array(
            z.object({
              site_id: z.string(),
              cluster_id: z.string().nullable(),
              job_id: z.uuid().optional(),
              mass_request_id: z.uuid().optional(),
              error: z.string().optional().meta({ description: "Why this ask could not be made" }),
            }),
          )
          .optional()
          .meta({ description: "With ask_biocore=true and a new version: the asks queued" }),
      }),
      headers: { Location: { description: "`/api/v1/datasets/{id}/versions/{version}`" } },
    },
    errors: { forbidden: "The caller may not upload, or the tenant is outside its scope" },
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "Datasets the caller may see, with their versions",
    ok: { status: 200, description: "All visible datasets", schema: z.object({ items: z.array(DatasetSchema) }) },
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "One dataset with its versions",
    path_params: IdParams,
    ok: { status: 200, description: "The dataset", schema: DatasetSchema },
    errors: { not_found: "No such dataset (or outside the caller's tenants)" },
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/versions/{version}",
    tag: "Datasets",
    auth: "dataset.read",
    summary: "One version with its quality report",
    path_params: IdParams.extend({ version: z.coerce.number().int().min(1).meta({ description: "1, 2, …" }) }),
    ok: { status: 200, description: "The version", schema: DatasetVersionDetailSchema },
    errors: { not_found: "No such version" },
  },
];
