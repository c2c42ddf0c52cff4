// OpenAPI operations of the "Datasets" tag (lib/openapi/document.ts assembles the document).
import { z } from "zod";
import { DatasetSchema, DatasetVersionDetailSchema, UploadResultSchema } from "@/lib/datasets/serialize";
import { PreviewSchema } from "@/lib/datasets/preview";
import { PreviewParamsSchema, UploadParamsSchema } from "@/lib/datasets/upload-request";
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
      "With the query parameter `ask_biocore=true` (off by default; in the query also for multipart), a new version queues one Ask BioCore (`POST /api/v1/recommendations/ask`) per site and cluster of its series over the last day of its data, listed in `biocore_asks`." +
      " Real exports: `delimiter`, `decimal`, `date_format` (detected when omitted; ambiguity refused), `timezone` for timestamps without an offset, with `dst_ambiguous` and `dst_gap` for the hours a DST change repeats and skips, and `mapping` (a JSON object: each header → a signal with its unit, or ignored). " +
      "The options are saved with the version; a later upload to the dataset without options reuses them (options given override them one by one, `mapping` as a whole). A bad option answers 422 naming each (`/query/<option>`).",
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
            delimiter: { type: "string", enum: [",", ";", "tab", "|"] },
            decimal: { type: "string", enum: [".", ","] },
            date_format: { type: "string", enum: ["iso", "dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd"] },
            timezone: { type: "string", example: "Europe/Paris" },
            dst_ambiguous: { type: "string", enum: ["by_order", "earlier", "later", "reject"] },
            dst_gap: { type: "string", enum: ["reject", "shift_forward"] },
            mapping: { type: "string", description: "The column mapping as a JSON text" },
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
    method: "post",
    path: "/api/v1/datasets/preview",
    tag: "Datasets",
    auth: "dataset.upload",
    summary: "Dry-run an upload: the options detected, the suggested mapping, the first rows as read, the summary",
    description:
      "The same body forms, parameters and size limit as `POST /api/v1/datasets`, read by the same code with nothing written: the delimiter, decimal separator and date format decided (given, saved with the named dataset, or detected), each column's suggested mapping (from its header) and the one applied, the first 20 rows as read (UTC instants, stored values), and the summary the upload would give (rows, series, period, columns mapped and ignored, problems by kind, rows in the hours DST repeats or skips). " +
      "A file that cannot be read with these options (a header without a timestamp column, day and month that cannot be told apart) still answers 200, with `ready: false`, its `problems`, and the columns to map; a bad option answers 422 naming each.",
    query: PreviewParamsSchema,
    rawBody: {
      "text/csv": {
        schema: { type: "string" },
        example:
          "Zeit;Standort;IT load (kW);Kommentar\n25/10/2026 02:00;mad1;812,4;\n25/10/2026 02:00;mad1;813,0;zweite Stunde\n",
      },
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: {
            name: { type: "string" },
            timezone: { type: "string", example: "Europe/Paris" },
            mapping: { type: "string", description: "The column mapping as a JSON text" },
            file: { type: "string", format: "binary" },
          },
        },
      },
    },
    ok: {
      status: 200,
      description: "What the upload would do",
      schema: PreviewSchema,
      example: {
        ready: true,
        detail: "4 rows would be stored",
        options: {
          delimiter: ";",
          decimal: ",",
          date_format: "dd/mm/yyyy",
          timezone: "Europe/Paris",
          dst_ambiguous: "by_order",
          dst_gap: "reject",
        },
        options_source: { saved: false, given: ["timezone", "mapping"] },
        header_line: "Zeit;Standort;IT load (kW);Kommentar",
        columns: [
          { header: "Zeit", suggestion: { ignore: true }, recognised: false, column: "timestamp_utc", note: null },
          { header: "Standort", suggestion: { ignore: true }, recognised: false, column: "site_id", note: null },
          {
            header: "IT load (kW)",
            suggestion: { signal: "it_load_kw" },
            recognised: true,
            column: "it_load_kw",
            note: null,
          },
          {
            header: "Kommentar",
            suggestion: { ignore: true },
            recognised: false,
            column: null,
            note: "ignored by the mapping",
          },
        ],
        signals: ["it_load_kw"],
        rows: [
          {
            row: 2,
            cells: ["25/10/2026 02:00", "mad1", "812,4", ""],
            ts_utc: "2026-10-25T00:00:00.000Z",
            ids: { site_id: "mad1", facility_id: null, cluster_id: null, zone_id: null },
            values: [812.4],
            problems: [],
          },
        ],
        summary: {
          rows_read: 4,
          rows_valid: 4,
          rows_rejected: 0,
          rows_stored: 4,
          duplicates: 0,
          series: 1,
          first_utc: "2026-10-25T00:00:00.000Z",
          last_utc: "2026-10-25T01:15:00.000Z",
          columns_mapped: [{ header: "Zeit", column: "timestamp_utc", note: null }],
          columns_ignored: [{ header: "Kommentar", reason: "ignored by the mapping" }],
          total_problems: 0,
          problem_groups: [],
          complete: true,
          naive_timestamps: 4,
          dst: {
            ambiguous_rows: 4,
            ambiguous_earlier: 2,
            ambiguous_later: 2,
            ambiguous_rejected: 0,
            gap_rows: 0,
            gap_shifted: 0,
            gap_rejected: 0,
          },
          warnings: [],
        },
        problems: [],
      },
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
