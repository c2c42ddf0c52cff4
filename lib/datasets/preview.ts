// The import wizard's dry run (POST /api/v1/datasets/preview): the file read by the upload's own
// code path (copy-stream.ts) with nothing written — the options decided (given, saved with the
// dataset, detected or defaulted), each column's suggested and applied mapping, the first rows as
// read (UTC instants, stored values), and the summary the upload would give: rows, series, period,
// columns mapped and ignored, the problems by kind, the rows in the hours DST repeats or skips.
import "server-only";
import type { Readable } from "node:stream";
import { z } from "zod";
import type { Principal } from "@/lib/access/principal";
import { env } from "@/lib/env";
import { AppError, type FieldProblem } from "@/lib/http/app-error";
import { roleColumn, suggestMapping } from "./columns";
import { streamRows, type PreviewCollector } from "./copy-stream";
import { CsvFormatError, utf8Guard, type ByteTap } from "./csv-records";
import {
  DstCountsSchema,
  givenOptions,
  MappingEntrySchema,
  mergeOptions,
  ResolvedOptionsSchema,
  type ImportOptions,
} from "./import-options";
import type { OnError } from "./load-input";
import { fromFormatError } from "./load-problems";
import { savedImportOptionsByName } from "./repo";
import { DatasetProblemSchema } from "./serialize";

/** Rows of the file shown as read. */
export const PREVIEW_ROWS = 20;

export const PreviewSchema = z
  .object({
    ready: z
      .boolean()
      .meta({ description: "The upload with these options would store rows (strict: every row valid)" }),
    detail: z.string().meta({ description: "What the upload would do, in one sentence" }),
    options: ResolvedOptionsSchema.nullable().meta({
      description: "Every option as it would be applied (null: the file could not be read that far)",
    }),
    options_source: z
      .object({ saved: z.boolean(), given: z.array(z.string()) })
      .meta({ description: "Whether the dataset's saved options were reused, and which options were given now" }),
    header_line: z.string().nullable(),
    columns: z
      .array(
        z.object({
          header: z.string(),
          suggestion: MappingEntrySchema,
          recognised: z.boolean().meta({ description: "The header names a known column by itself" }),
          column: z.string().nullable().meta({ description: "Where it goes with the options given (null: ignored)" }),
          note: z.string().nullable(),
        }),
      )
      .meta({ description: "Each source column: the suggested mapping and the one applied" }),
    signals: z.array(z.string()).meta({ description: "The signal columns of `rows[].values`, in order" }),
    rows: z.array(
      z.object({
        row: z.number().int(),
        cells: z.array(z.string()),
        ts_utc: z.string().nullable(),
        ids: z.record(z.string(), z.string().nullable()).nullable(),
        values: z.array(z.number().nullable()).nullable(),
        problems: z.array(z.object({ column: z.string(), value: z.string(), detail: z.string() })),
      }),
    ),
    summary: z
      .object({
        rows_read: z.number().int(),
        rows_valid: z.number().int(),
        rows_rejected: z.number().int(),
        rows_stored: z.number().int().nullable().meta({ description: "null when the upload would be refused" }),
        duplicates: z.number().int().nullable(),
        series: z.number().int(),
        first_utc: z.string().nullable(),
        last_utc: z.string().nullable(),
        columns_mapped: z.array(z.object({ header: z.string(), column: z.string(), note: z.string().nullable() })),
        columns_ignored: z.array(z.object({ header: z.string(), reason: z.string() })),
        total_problems: z.number().int(),
        problem_groups: z.array(
          z.object({
            column: z.string(),
            detail: z.string(),
            count: z.number().int(),
            rows: z.array(z.number().int()),
            values: z.array(z.string()),
          }),
        ),
        complete: z.boolean().meta({ description: "false: a strict read stopped at 1,000 problems" }),
        naive_timestamps: z
          .number()
          .int()
          .meta({ description: "Rows whose timestamp had no offset (read in the zone)" }),
        dst: DstCountsSchema,
        warnings: z.array(z.object({ column: z.string(), message: z.string() })),
      })
      .nullable(),
    problems: z
      .array(DatasetProblemSchema)
      .meta({ description: "What stops the file being read at all (header, options)" }),
  })
  .meta({ id: "DatasetPreview" });
export type Preview = z.infer<typeof PreviewSchema>;

export type PreviewInput = {
  source: Readable;
  tenantId: string;
  /** The dataset it would go to (its saved options are reused when none are given), if named. */
  name: string | null;
  onError: OnError;
  options: ImportOptions;
};

const NO_VERSION = "00000000-0000-0000-0000-000000000000";

export async function previewDataset(principal: Principal, input: PreviewInput): Promise<Preview> {
  const given = givenOptions(input.options);
  const saved = input.name ? await savedImportOptionsByName(principal, input.tenantId, input.name) : null;
  const options = mergeOptions(saved, given);
  const tap: ByteTap = { bytes: 0 };
  const text = input.source.pipe(utf8Guard(env().DATASET_MAX_BYTES, tap));
  input.source.on("error", (error) => text.destroy(error));
  text.on("error", () => undefined);
  const collector: PreviewCollector = {
    limit: PREVIEW_ROWS,
    headerLine: null,
    headers: null,
    mapping: null,
    resolved: null,
    rows: [],
    totals: null,
  };
  let outcome: Awaited<ReturnType<typeof streamRows>> | null = null;
  let failure: AppError | null = null;
  try {
    outcome = await streamRows(
      null,
      text,
      {
        source: input.source,
        name: input.name ?? "preview",
        tenantId: input.tenantId,
        onError: input.onError,
        filename: null,
        actor: { type: "system", id: "preview", label: "preview" },
        context: null,
      },
      NO_VERSION,
      { options, strictMapping: given.mapping !== undefined },
      collector,
    );
  } catch (error) {
    const appError = error instanceof CsvFormatError ? fromFormatError(error) : error;
    if (!(appError instanceof AppError) || appError.status !== 422) throw appError;
    failure = appError;
  } finally {
    if (!input.source.readableEnded) input.source.resume();
  }

  const headers = collector.headers ?? [];
  const mapping = collector.mapping;
  const columns = headers.map((header, i) => {
    const { entry, recognised } = suggestMapping(header);
    const role = mapping?.roles[i] ?? null;
    return {
      header,
      suggestion: entry,
      recognised,
      column: roleColumn(role),
      note: role?.kind === "signal" ? role.unitNote : mapping?.ignoredByMapping[i] ? "ignored by the mapping" : null,
    };
  });
  const common = {
    options: collector.resolved,
    options_source: { saved: saved !== null, given: Object.keys(given) },
    header_line: collector.headerLine,
    columns,
    signals: mapping?.signals.map((s) => s.name) ?? [],
    rows: collector.rows,
  };
  if (failure || !outcome || !collector.totals) {
    const problems: FieldProblem[] = failure?.errors ?? [{ pointer: "", detail: failure?.message ?? "unreadable" }];
    return {
      ...common,
      ready: false,
      detail: failure?.message ?? "The file could not be read",
      summary: null,
      problems,
    };
  }
  const t = collector.totals;
  const refused = outcome.kind === "refused" ? outcome.error : null;
  const stats = outcome.kind === "ok" ? outcome.stats : null;
  const warnings = mapping?.warnings ?? [];
  return {
    ...common,
    ready: outcome.kind === "ok",
    detail: refused
      ? refused.message
      : `${stats!.stored.toLocaleString("en")} row${stats!.stored === 1 ? "" : "s"} would be stored${stats!.rejected ? `, ${stats!.rejected.toLocaleString("en")} skipped` : ""}${stats!.duplicates ? `, ${stats!.duplicates.toLocaleString("en")} duplicates dropped` : ""}`,
    summary: {
      rows_read: t.rows_read,
      rows_valid: t.rows_valid,
      rows_rejected: t.rejected,
      rows_stored: stats?.stored ?? null,
      duplicates: stats?.duplicates ?? null,
      series: t.series,
      first_utc: t.first_utc,
      last_utc: t.last_utc,
      columns_mapped: columns.flatMap((c) => (c.column ? [{ header: c.header, column: c.column, note: c.note }] : [])),
      columns_ignored: columns.flatMap((c) =>
        c.column || c.header.trim() === ""
          ? []
          : [{ header: c.header, reason: c.note ?? "not recognised (map it to a signal, or ignore it)" }],
      ),
      total_problems: t.total_problems,
      problem_groups: t.problem_groups,
      complete: t.complete,
      naive_timestamps: t.naive_timestamps,
      dst: t.dst,
      warnings: [...warnings.filter((w) => w.message !== "unknown column, ignored")],
    },
    problems: [],
  };
}
